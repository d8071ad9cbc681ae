/** A variable of the environment is missing or wrong; the message names each one and what is allowed. */
export class EnvironmentError extends Error {}
