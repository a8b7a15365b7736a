import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { transports } from 'winston';
import { parse } from 'yaml';
import { createRootLogger, logStyleOf } from './rootLogger';

const ESC = '\u001b[';

// The demo's own app-config.yaml, as `npm start` reads it.
const demoConfig = new ConfigReader(
  parse(readFileSync(join(__dirname, '../../../app-config.yaml'), 'utf8')),
);

async function capture(
  style: 'colour' | 'plain',
  config = demoConfig,
): Promise<{
  logger: Awaited<ReturnType<typeof createRootLogger>>;
  output: () => string;
}> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', chunk => (text += chunk));
  const logger = await createRootLogger({
    config,
    style,
    transports: [new transports.Stream({ stream })],
  });
  return { logger, output: () => text };
}

// What the rootHttpRouter's access log writes for each request.
function accessLog(logger: { child(meta: object): any }, status: number) {
  logger
    .child({ type: 'incomingRequest' })
    .info(`"GET /api/flux-pipelines/pipelines HTTP/1.1" ${status}`, {
      status,
    });
}

describe('the demo backend root logger', () => {
  it('writes no ANSI escape codes when stdout is a pipe, as under npm start or CI', async () => {
    const { logger, output } = await capture('plain');
    logger.child({ plugin: 'flux-pipelines' }).info('watching clusters', {
      cluster: 'main',
    });
    expect(output()).toContain('flux-pipelines info watching clusters');
    expect(output()).toContain('cluster="main"');
    expect(output()).not.toContain(ESC);
  });

  it('keeps the colours on a terminal', async () => {
    const { logger, output } = await capture('colour');
    logger.info('backend started');
    expect(output()).toContain(ESC);
  });

  it('chooses colours only for a terminal, and JSON in production', () => {
    const tty = { isTTY: true, hasColors: () => true };
    expect(logStyleOf({}, tty)).toBe('colour');
    expect(logStyleOf({}, { isTTY: false })).toBe('plain');
    expect(logStyleOf({}, {})).toBe('plain');
    expect(logStyleOf({}, { isTTY: true, hasColors: () => false })).toBe(
      'plain',
    );
    expect(logStyleOf({ NODE_ENV: 'production' }, tty)).toBe('json');
  });

  it('keeps the access log quiet with the demo config, but not the errors', async () => {
    const { logger, output } = await capture('plain');
    accessLog(logger, 200);
    accessLog(logger, 404);
    logger
      .child({ type: 'errorHandler' })
      .error('Request failed with status 500');
    logger.child({ plugin: 'catalog' }).info('processed 3 entities');
    expect(output()).not.toContain('GET /api/flux-pipelines');
    expect(output()).toContain('Request failed with status 500');
    expect(output()).toContain('processed 3 entities');
  });

  it('still writes the access log where the config asks for it', async () => {
    const { logger, output } = await capture('plain', new ConfigReader({}));
    accessLog(logger, 200);
    expect(output()).toContain('GET /api/flux-pipelines/pipelines');
  });

  it('redacts the secrets of the config', async () => {
    const { logger, output } = await capture('plain');
    logger.warn('calling github with token cluster-sim-token');
    expect(output()).not.toContain('cluster-sim-token');
  });
});
