import { test } from 'node:test';
import { checkBatteryKb } from '../helpers/battery.ts';

test('foreign knowledge base a-national: answers within the error budget over three seeds', () => checkBatteryKb('a-national'));
