import { test } from 'node:test';
import { checkBatteryKb } from '../helpers/battery.ts';

test('foreign knowledge base e-no-alts: answers within the error budget over three seeds', () => checkBatteryKb('e-no-alts'));
