/**
 * Exit codes (design.md): 0 valid, 1 invalid, 2 unknown; 64 and above for bad input or a harness
 * failure, following BSD sysexits so that scripts can tell the kinds apart.
 */
export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNKNOWN = 2;
/** A bad command line: unknown command or flag, a missing or malformed argument. */
export const EXIT_USAGE = 64;
/** Bad input data: a history line, a scenario or a config that does not validate. */
export const EXIT_DATA = 65;
/** An input file or directory that does not exist or cannot be read. */
export const EXIT_NO_INPUT = 66;
/** A service paychaos needs is not there: an engine not provisioned, a lab already up. */
export const EXIT_UNAVAILABLE = 69;
/** A harness failure: a bug in paychaos itself. */
export const EXIT_SOFTWARE = 70;
/** Not allowed: the AWS caller or a region is not on the game day's allowlist, or unverifiable. */
export const EXIT_NO_PERMISSION = 77;
/** An output that cannot be written. */
export const EXIT_CANT_CREATE = 73;
