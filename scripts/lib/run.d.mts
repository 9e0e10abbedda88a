export function run(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; logDir: string; label: string; hint?: string }): Promise<void>;
