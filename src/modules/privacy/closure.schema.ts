import { z } from 'zod';

/** ACC-11: the closure's confirmation, the password typed again. */
export const closureSchema = z.object({
  password: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'password.currentInvalid'),
});
