// expect: the app runs in WeChat and browsers: no Node built-ins
import path from 'node:path';
export const x = path;
