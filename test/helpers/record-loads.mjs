// Preloaded with `node --import tsx --import ./test/helpers/record-loads.mjs`: registers a module-loader
// hook that appends the URL of every module Node loads to the file named by $RECORD_LOADS.
import { register } from 'node:module';

register('./record-loads-hook.mjs', import.meta.url, { data: { out: process.env.RECORD_LOADS } });
