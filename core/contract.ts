import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini ships without messages ("Invalid input"); operators read these in English.
z.config(en());

/**
 * A function's contract: per action, the schema of its params and of its result. The handler
 * validates with it; the app's services import only its types (`import type`), so the same
 * contract is the one source for both sides while the app ships no validator.
 *
 * Schemas are written with `zod/mini`: its checks are functions, so a bundle carries only the
 * ones its contract uses (classic zod's methods pull in the whole library; see DESIGN.md).
 */
export interface ActionContract<I extends z.ZodMiniType = z.ZodMiniType, O extends z.ZodMiniType = z.ZodMiniType> {
  input: I;
  output: O;
}

export interface FunctionContract<N extends string = string, A extends Record<string, ActionContract> = Record<string, ActionContract>> {
  /** The deployed cloud function's name. */
  name: N;
  actions: A;
}

export function defineContract<const N extends string, A extends Record<string, ActionContract>>(
  name: N,
  actions: A,
): FunctionContract<N, A> {
  return { name, actions };
}

export type ActionsOf<C extends FunctionContract> = C['actions'];
export type ActionName<C extends FunctionContract> = keyof ActionsOf<C> & string;
export type InputOf<C extends FunctionContract, A extends ActionName<C>> = z.input<ActionsOf<C>[A]['input']>;
export type ParsedInputOf<C extends FunctionContract, A extends ActionName<C>> = z.output<ActionsOf<C>[A]['input']>;
export type OutputOf<C extends FunctionContract, A extends ActionName<C>> = z.output<ActionsOf<C>[A]['output']>;
