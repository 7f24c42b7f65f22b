import { z } from 'zod';

/** ACC-11: the closure's confirmation, the password typed again. */
export const closureSchema = z.object({
  password: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'password.currentInvalid'),
});

/** An account without a password of its own: nothing to type (the re-authentication was done with its provider). */
export const noPasswordSchema = z.object({ password: z.string().max(1024).optional() });
