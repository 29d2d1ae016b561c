import { test } from 'node:test';
import { checkBatteryKb } from '../helpers/battery.ts';

test('foreign knowledge base c-city: answers within the error budget over three seeds', () => checkBatteryKb('c-city'));
