/**
 * The words of an instrument (its name, groups, questions, choices) in the page's language. An
 * instrument's texts are pack data: the catalogue holds them under `data.instrument.<id>.…`, and a
 * translation is used only while the catalogue's English still equals the instrument's (an instrument
 * an administrator loaded, or a changed one, shows its own English, marked as English).
 */
import type { Child } from 'hono/jsx';
import type { Translator } from '../../platform/i18n/index.ts';
import type { Group, Instrument, Item, Option } from './schema.ts';

export interface InstrumentWords {
  name(): string;
  title(group: Group): string;
  intro(group: Group): Child;
  question(item: Item): Child;
  /** The question as plain text (a list of questions, an attribute). */
  questionText(item: Item): string;
  help(item: Item): Child;
  unit(item: Item): string;
  label(item: Item, option: Option): Child;
  labelText(item: Item, option: Option): string;
  optionHelp(item: Item, option: Option): Child;
}

/** The catalogue key of one of an instrument's texts. */
export const instrumentTextKey = (instrumentId: string, ...path: string[]): string =>
  ['data.instrument', instrumentId, ...path].join('.');

export function instrumentWords(t: Translator, instrument: Pick<Instrument, 'id' | 'name'>): InstrumentWords {
  const k = (...path: string[]) => instrumentTextKey(instrument.id, ...path);
  return {
    name: () => t.dataText(k('name'), instrument.name),
    title: (g) => t.dataText(k('group', g.id, 'title'), g.title),
    intro: (g) => (g.intro ? t.data(k('group', g.id, 'intro'), g.intro) : null),
    question: (item) => t.data(k(item.id, 'question'), item.question),
    questionText: (item) => t.dataText(k(item.id, 'question'), item.question),
    help: (item) => (item.help ? t.data(k(item.id, 'help'), item.help) : null),
    unit: (item) =>
      item.answer.type === 'number' && item.answer.unit
        ? t.dataText(k(item.id, 'unit'), item.answer.unit)
        : '',
    label: (item, o) => t.data(k(item.id, 'option', o.value, 'label'), o.label),
    labelText: (item, o) => t.dataText(k(item.id, 'option', o.value, 'label'), o.label),
    optionHelp: (item, o) => (o.help ? t.data(k(item.id, 'option', o.value, 'help'), o.help) : null),
  };
}
