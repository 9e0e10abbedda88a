export class SetupError extends Error {}
export function checkNode(version?: string): void;
export function findPython(): string;
export function preflightOrExit(): void;
