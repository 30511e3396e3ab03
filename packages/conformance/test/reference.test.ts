import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { describeConformance } from '../src/index.js';

describeConformance({ name: 'reference', createBackend: createReferenceBackend });
