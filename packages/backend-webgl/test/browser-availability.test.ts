import { describeChromiumAvailability } from '../../conformance/browser/availability.js';

describeChromiumAvailability();
