import { it } from 'vitest';
import { listen, testApp } from '../test/app.ts';
import { launchBrowser, isolatedContext } from './browser.ts';

it('probe', async () => {
  const app = await testApp();
  const server = await listen(app.app);
  const browser = await launchBrowser();
  const iso = await isolatedContext(browser, server.url, { viewport: { width: 390, height: 844 } });
  const page = await iso.context.newPage();
  for (const [r, n] of [['/', 'home'], ['/navigator?zip=55301', 'zip55301'], ['/services', 'services'], ['/map', 'map']]) {
    await page.goto(server.url + r);
    await page.screenshot({ path: `/tmp/nwd-shot-${n}.png`, fullPage: true });
    await page.screenshot({ path: `/tmp/nwd-shot-${n}-top.png` });
  }
  await browser.close(); await server.close(); await app.close();
}, 60000);
