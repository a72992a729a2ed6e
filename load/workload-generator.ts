/**
 * The request generator of a workload kind: the one place that maps a scenario's workload to its
 * generator, for the Node driver (load-driver.ts) and Artillery's processor alike, so that both
 * send the same workload.
 */
import type { ResolvedWorkload } from '../scenario-dsl/resolved-scenario.ts';
import { BankGenerator } from './bank-generator.ts';
import { CheckoutGenerator } from './checkout-generator.ts';
import { RegistersGenerator } from './registers-generator.ts';
import type { GeneratorContext, RequestGenerator } from './request-generator.ts';

export function generatorFor(
  workload: ResolvedWorkload,
  context: GeneratorContext,
): RequestGenerator {
  switch (workload.kind) {
    case 'bank':
      return new BankGenerator(workload, context);
    case 'registers':
      return new RegistersGenerator(workload, context);
    case 'checkout':
      return new CheckoutGenerator(workload, context);
  }
}
