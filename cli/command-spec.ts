/**
 * What a command is, as data: its arguments and flags with their help text. The command table
 * (command-table.ts) holds one entry per command; the parser, `--help` and the README's command
 * list are all made from it, so a flag cannot exist without its description.
 */

export interface FlagSpec {
  /** Long name without the dashes, kebab-case: `bank-bug` is `--bank-bug`. */
  readonly name: string;
  /** One letter: `o` is `-o`. */
  readonly short?: string;
  /** The placeholder of the value it takes (`N`, `DIR`); a flag without one is a switch. */
  readonly value?: string;
  /** Given several times, its values collect in order. */
  readonly repeatable?: boolean;
  readonly help: string;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly help: string;
  /** One or more (only the last argument). */
  readonly many?: boolean;
  /** May be left out (only the last argument): the command says when it needs it. */
  readonly optional?: boolean;
  readonly choices?: readonly string[];
}

export interface CommandSpec {
  readonly name: string;
  /** One line, in `paychaos --help`. */
  readonly summary: string;
  /** More, in `paychaos <command> --help`. */
  readonly details?: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly flags: readonly FlagSpec[];
}

/** A declared flag's value type; FlagSpec itself (any flag) may have any of them. */
type FlagValue<F extends FlagSpec> = F extends { readonly value: string }
  ? F extends { readonly repeatable: true }
    ? string[]
    : string
  : F extends { readonly value?: undefined }
    ? boolean
    : string | string[] | boolean;

/** The parsed flags of a command, keyed by long name; a flag not given is absent. */
export type FlagValues<S extends CommandSpec> = {
  [F in S['flags'][number] as F['name']]?: FlagValue<F>;
};

export interface CommandInput<S extends CommandSpec> {
  /** The arguments in order, a `many` argument spread out. */
  positionals: string[];
  values: FlagValues<S>;
}
