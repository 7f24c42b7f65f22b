// Runs in a worker thread of the hashing pool (platform/passwords.ts). Plain JavaScript so any
// loader (tsx, node) can start it.
import { setPriority } from 'node:os';
import { hashSync, verifySync } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// Linux nice values are per thread: this thread yields the CPU to the event loop and to
// PostgreSQL, so pages stay fast while logins use whatever CPU is left.
try {
  setPriority(0, 15);
} catch {
  // Some platforms refuse; hashing still works at normal priority.
}

const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export default function run(task) {
  if (task.op === 'hash') return hashSync(task.password, options);
  try {
    // The previous system's bcrypt hashes (legacy module, ACC-9), checked here off the event loop.
    if (task.op === 'bcrypt') return bcrypt.compareSync(task.password, task.hash);
    return verifySync(task.hash, task.password);
  } catch {
    return false;
  }
}
