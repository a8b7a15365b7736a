/*
 * The demo backend's root logger: Backstage's own (WinstonLogger, the same
 * `backend.logger` config, secrets redacted), except that it writes ANSI
 * colours only to a terminal. Backstage's default colours every line, also
 * when stdout is a pipe (`npm start`, CI logs), which buries the text in
 * escape codes there.
 */
import {
  RootConfigService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createConfigSecretEnumerator } from '@backstage/backend-defaults/rootConfig';
import {
  WinstonLogger,
  WinstonLoggerLevelOverrideMatchers,
  WinstonLoggerOptions,
} from '@backstage/backend-defaults/rootLogger';
import { format, transport, transports } from 'winston';

/** How lines look: JSON in production, else text, coloured on a terminal only. */
export type LogStyle = 'json' | 'colour' | 'plain';

/** The style for this process: what Backstage does, minus colours in a pipe. */
export function logStyleOf(
  env: NodeJS.ProcessEnv,
  stdout: { isTTY?: boolean; hasColors?: () => boolean },
): LogStyle {
  if (env.NODE_ENV === 'production') return 'json';
  return stdout.isTTY && stdout.hasColors?.() ? 'colour' : 'plain';
}

function formatFor(style: LogStyle) {
  if (style === 'json') return format.json();
  if (style === 'colour') return WinstonLogger.colorFormat();
  return format.combine(WinstonLogger.colorFormat(), format.uncolorize());
}

function levelOverrides(config: RootConfigService) {
  return (
    config.getOptionalConfigArray('backend.logger.overrides')?.map(o => ({
      matchers: o
        .getConfig('matchers')
        .get<WinstonLoggerLevelOverrideMatchers>(),
      level: o.getString('level'),
    })) ?? []
  );
}

/** A root logger reading `backend.logger` (level, meta, overrides) from config. */
export async function createRootLogger(options: {
  config: RootConfigService;
  style: LogStyle;
  transports?: transport[];
  level?: string;
}): Promise<WinstonLogger> {
  const { config, style } = options;
  const logger = WinstonLogger.create({
    meta: {
      service: 'backstage',
      ...config
        .getOptionalConfig('backend.logger.meta')
        ?.get<NonNullable<WinstonLoggerOptions['meta']>>(),
    },
    level:
      options.level ||
      config.getOptionalString('backend.logger.level') ||
      'info',
    format: formatFor(style),
    transports: options.transports ?? [new transports.Console()],
  });
  const secrets = await createConfigSecretEnumerator({ logger });
  logger.addRedactions(secrets(config));
  logger.setLevelOverrides(levelOverrides(config));
  config.subscribe?.(() => {
    logger.addRedactions(secrets(config));
    logger.setLevelOverrides(levelOverrides(config));
  });
  return logger;
}

/** Replaces `coreServices.rootLogger` in the demo backend. */
export const rootLoggerServiceFactory = createServiceFactory({
  service: coreServices.rootLogger,
  deps: { config: coreServices.rootConfig },
  factory: ({ config }) =>
    createRootLogger({
      config,
      style: logStyleOf(process.env, process.stdout),
      level: process.env.LOG_LEVEL,
    }),
});
