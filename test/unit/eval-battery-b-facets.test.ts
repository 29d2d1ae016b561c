import { test } from 'node:test';
import { checkBatteryKb } from '../helpers/battery.ts';

test('foreign knowledge base b-facets: answers within the error budget over three seeds', () => checkBatteryKb('b-facets'));
