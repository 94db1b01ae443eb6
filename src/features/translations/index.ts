/**
 * What other parts of the app use of translations: the staff page (src/app.ts), the command
 * (src/main.ts), and keeping each instance's catalogue up to date (src/server.ts).
 */
export { translationsPages } from './routes.tsx';
export { i18nCommand, I18N_USAGE } from './cli.ts';
export { keepTranslationsFresh, refreshTranslations } from './service.ts';
