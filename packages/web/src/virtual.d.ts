declare module 'virtual:eval-figures' {
  import type { EvalFigures } from './figures/eval-figures.ts';

  const figures: EvalFigures;
  export default figures;
}
