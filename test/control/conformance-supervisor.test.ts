import { controllerConformance } from './conformance.js';
import { inProcessSupervisor } from './in-process.js';

controllerConformance('in-process supervisor', inProcessSupervisor);
