import { test } from 'node:test';
import { checkBatteryKb } from '../helpers/battery.ts';

test('foreign knowledge base d-tiny: answers within the error budget over three seeds', () => checkBatteryKb('d-tiny'));
