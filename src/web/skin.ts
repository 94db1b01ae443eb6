/**
 * Which look a shared component takes: the public pages' own small style sheet, or the staff pages'
 * design system (USWDS). The staff frame provides `staff`; the form kit and alerts read it, so one
 * set of components serves both sides with each side's markup.
 */
import { createContext, useContext } from 'hono/jsx';

export type SkinName = 'public' | 'staff';

export const Skin = createContext<SkinName>('public');

/** Whether the component renders inside a staff page. */
export const isStaffSkin = (): boolean => useContext(Skin) === 'staff';
