import { z } from 'zod';

// Under our CSP (no 'unsafe-eval') zod must not compile validators with new Function(). This module is
// imported first by main.tsx so the setting is in force before any schema is used.
z.config({ jitless: true });
