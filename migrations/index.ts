import { Foundation1764374400000 } from './1764374400000-Foundation';
import { SsoSettings1764374500000 } from './1764374500000-SsoSettings';

/** Every migration, in order; the data source takes them from here rather than by file glob. */
export const MIGRATIONS = [Foundation1764374400000, SsoSettings1764374500000];
