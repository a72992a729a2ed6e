/**
 * Whether a container engine can be reached, looked for where testcontainers looks: DOCKER_HOST,
 * then the usual sockets of Docker and Podman. None runs on this project's machines, so
 * `--lab containers` is refused there in one line rather than failing deep inside a client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ContainerEngine {
  /** Where it was found: `DOCKER_HOST=...` or a socket's path. */
  via: string;
}

export function socketCandidates(env: NodeJS.ProcessEnv): string[] {
  const candidates = ['/var/run/docker.sock', '/run/podman/podman.sock'];
  if (env.XDG_RUNTIME_DIR) {
    candidates.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'));
    candidates.push(join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'));
  }
  if (env.HOME) candidates.push(join(env.HOME, '.docker', 'run', 'docker.sock'));
  return candidates;
}

export function findContainerEngine(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): ContainerEngine | undefined {
  if (env.DOCKER_HOST) return { via: `DOCKER_HOST=${env.DOCKER_HOST}` };
  const socket = socketCandidates(env).find(exists);
  return socket === undefined ? undefined : { via: socket };
}

/** The one line `--lab containers` says where no engine is found. */
export function noContainerEngineMessage(env: NodeJS.ProcessEnv = process.env): string {
  return `--lab containers needs a container engine (Docker or Podman) and none was found (DOCKER_HOST is unset; no socket at ${socketCandidates(env).join(', ')}); run without it for the lab of local processes`;
}
