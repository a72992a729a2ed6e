/**
 * A ContainerSpec as a testcontainers GenericContainer on the lab's network. testcontainers
 * publishes ports on every host interface; the lab binds 127.0.0.1 only, so each published
 * port's binding is narrowed to it before the container is created.
 */
import { GenericContainer, type StartedNetwork, Wait, type WaitStrategy } from 'testcontainers';
import type { ContainerSpec, WaitSpec } from './container-specs.ts';

/** Labels every lab container carries: which lab it belongs to. */
export const LAB_LABEL = 'dev.paychaos.lab';

class LoopbackContainer extends GenericContainer {
  /** Publishes each port on 127.0.0.1 at a port the engine picks. */
  withLoopbackPorts(ports: readonly number[]): this {
    this.withExposedPorts(...ports);
    const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string }[]>;
    for (const port of ports) {
      const binding = bindings[`${port}/tcp`];
      if (binding === undefined) throw new Error(`port ${port} was not published`);
      for (const entry of binding) entry.HostIp = '127.0.0.1';
    }
    return this;
  }

  /** What the engine will be asked to create: for the unit tests, which have no engine. */
  createRequest(): { image: string; hostConfig: unknown; create: unknown } {
    return {
      image: this.createOpts.Image ?? '',
      hostConfig: this.hostConfig,
      create: this.createOpts,
    };
  }
}

export function waitStrategyOf(wait: WaitSpec): WaitStrategy {
  if (wait.kind === 'log') return Wait.forLogMessage(wait.message, wait.times);
  return Wait.forHttp(wait.path, wait.port).forStatusCode(wait.status);
}

export function containerOf(
  spec: ContainerSpec,
  labDir: string,
  network?: StartedNetwork,
): LoopbackContainer {
  const container = new LoopbackContainer(spec.image)
    .withLoopbackPorts(spec.ports)
    .withEnvironment(spec.env)
    .withLabels({ [LAB_LABEL]: labDir, [`${LAB_LABEL}.name`]: spec.name })
    .withWaitStrategy(waitStrategyOf(spec.wait))
    .withStartupTimeout(spec.startupTimeoutMs);
  if (spec.command !== null) container.withCommand(spec.command);
  if (spec.user !== null) container.withUser(spec.user);
  if (spec.files.length > 0) {
    container.withCopyContentToContainer(
      spec.files.map((file) => ({ content: file.content, target: file.path, mode: file.mode })),
    );
  }
  if (network !== undefined) container.withNetwork(network).withNetworkAliases(spec.alias);
  return container;
}
