import { InputError } from '@backstage/errors';

// What may be handed to the git CLI: names and refs that cannot read as
// options, identities on one line.

/** The git subcommand of `args`, after any `-c key=value`. */
export function subcommand(args: string[]): string {
  return args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c') ?? '';
}

/** A revision or ref given to git must not read as an option. */
export function assertRef(ref: string) {
  if (!ref || ref.startsWith('-') || /\s/.test(ref)) {
    throw new InputError(`Invalid git ref ${JSON.stringify(ref)}`);
  }
}

/** A name or email as git can take it: one line, no angle brackets. */
export function identityPart(value: string): string {
  return value.replace(/[<>\s]+/g, ' ').trim();
}

export function assertBranchName(name: string) {
  if (
    !name ||
    name.startsWith('-') ||
    name.includes('..') ||
    [...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ||
    /[\s~^:?*[\\]|@\{|\/\/|^\/|\/$|\.lock$|\.$/.test(name)
  ) {
    throw new InputError(`Invalid branch name ${JSON.stringify(name)}`);
  }
}
