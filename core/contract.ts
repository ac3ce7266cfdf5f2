import type { z } from 'zod';

/**
 * A function's contract: per action, the schema of its params and of its result. Both the
 * handler (validates the event) and the app's services (types the call) import it, so the
 * two sides cannot drift apart.
 */
export interface ActionContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export interface FunctionContract<A extends Record<string, ActionContract> = Record<string, ActionContract>> {
  /** The deployed cloud function's name. */
  name: string;
  actions: A;
}

export function defineContract<A extends Record<string, ActionContract>>(name: string, actions: A): FunctionContract<A> {
  return { name, actions };
}

export type ActionsOf<C extends FunctionContract> = C['actions'];
export type ActionName<C extends FunctionContract> = keyof ActionsOf<C> & string;
export type InputOf<C extends FunctionContract, A extends ActionName<C>> = z.input<ActionsOf<C>[A]['input']>;
export type ParsedInputOf<C extends FunctionContract, A extends ActionName<C>> = z.output<ActionsOf<C>[A]['input']>;
export type OutputOf<C extends FunctionContract, A extends ActionName<C>> = z.output<ActionsOf<C>[A]['output']>;
