import { z } from 'zod';

/**
 * ACC-11: the closure's confirmation, the password typed again; an account without a password of
 * its own sends none (the re-authentication was done with its provider). Whether one is needed is
 * the service's to say (`closeOwnAccount`: `password_required`).
 */
export const closureSchema = z.object({ password: z.string().max(1024, 'password.currentInvalid').optional() });
