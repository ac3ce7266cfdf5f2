// expect: core/ is pure: no I/O
import fs from 'node:fs';
export const x = fs;
