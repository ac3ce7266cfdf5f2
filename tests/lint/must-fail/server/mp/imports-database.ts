// expect: only repositories
import { database } from '../cloud';
export const x = database;
