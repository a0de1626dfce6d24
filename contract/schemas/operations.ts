import { z } from 'zod';

export const Liveness = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Liveness' });

export const Problem = z
  .strictObject({ area: z.string(), code: z.string(), message: z.string() })
  .meta({ id: 'Problem', description: 'Something the operator must fix (billing at a platform, a retired API version, ...).' });

export const Readiness = z
  .strictObject({
    status: z.literal('ready'),
    jobs: z.boolean().describe('Whether this process runs background work (JOBS).'),
    problems: z.array(Problem),
  })
  .meta({ id: 'Readiness' });
