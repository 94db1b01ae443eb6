import { it } from 'vitest';
import { listen, testApp } from '../test/app.ts';
import { launchBrowser, isolatedContext } from './browser.ts';

it('probe', async () => {
  const app = await testApp();
  const server = await listen(app.app);
  const browser = await launchBrowser();
  const iso = await isolatedContext(browser, server.url, { viewport: { width: 320, height: 640 } });
  const page = await iso.context.newPage();
  await page.goto(server.url + '/services');
  const wide = await page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > 320).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)} ${e.outerHTML.slice(0, 200)}`));
  console.log(wide.join('\n'));
  const html = await (await app.app.request('/services')).text();
  console.log(html.slice(html.indexOf('<main'), html.indexOf('<main') + 4000));
  await browser.close(); await server.close(); await app.close();
}, 60000);
