// What a user of the stock app sees: they sign in as guest, open the
// annotated entity, pick its Pipelines tab and find a version on an
// environment card, live from the cluster stand-in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from '../../e2e/lib/browser.mjs';
import { environmentCard, signIn } from '../../e2e/lib/pipelinePage.mjs';
import { BACKEND } from './serve.mjs';

const VERSION = /\b\d+\.\d+\.\d+\b/;

/** Throws with a screenshot in `artifacts` unless the tab shows live data. */
export async function checkPipelinesTab({ entity, environment, artifacts }) {
  const browser = await openBrowser();
  const page = await browser.context.newPage();
  const consoleErrors = [];
  page.on('console', m => m.type() === 'error' && consoleErrors.push(m.text()));
  try {
    const { namespace = 'default', name } = entity.metadata;
    await page.goto(
      `${BACKEND}/catalog/${namespace}/${entity.kind.toLowerCase()}/${name}`,
    );
    await signIn(page);
    // The entity page's tab bar links to each tab's path (the new frontend
    // system renders them as links, the legacy one as tabs).
    const tab = page
      .getByRole('tab', { name: 'Pipelines' })
      .or(page.getByRole('link', { name: 'Pipelines', exact: true }))
      .and(page.locator(`[href$="/${name}/flux-pipelines"]`))
      .first();
    await tab.waitFor({ timeout: 120_000 });
    await tab.click();
    // A page opened before the backend has read the cluster's Pipeline
    // objects says "No pipeline found"; a user would reload it.
    const card = environmentCard(page, environment);
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        await card.getByText(VERSION).first().waitFor({ timeout: 30_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await page.reload();
      }
    }
    return {
      url: page.url(),
      card: (await card.innerText()).replace(/\s+/g, ' '),
    };
  } catch (e) {
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, 'install-failure.png');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    e.message += `\nScreenshot: ${shot}\nPage: ${page.url()}\nBrowser console errors:\n${consoleErrors
      .slice(-10)
      .join('\n')}`;
    throw e;
  } finally {
    await browser.close();
  }
}
