import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config';
import { translator } from '../platform/i18n';
import { defaultHelpLine, helpLineHours, telHref } from './help-line';

describe('SVC-1 the help line in the footer', () => {
  it('SVC-1 defaults to the FAQ’s 3975, Monday to Friday, 8:30 to 18:00', () => {
    assert.deepEqual(loadConfig({}).helpLine, defaultHelpLine);
    assert.equal(helpLineHours(translator('fr'), defaultHelpLine), 'du lundi au vendredi, de 8 h 30 à 18 h');
    assert.equal(helpLineHours(translator('en'), defaultHelpLine), 'Monday to Friday, 8:30 am to 6 pm');
    assert.equal(telHref('3975'), 'tel:3975');
  });

  it('SVC-1 takes another number and other hours from the settings, said in each language', () => {
    const line = loadConfig({ HELP_LINE_PHONE: ' 01 42 76 40 40 ', HELP_LINE_HOURS: '6-6 09:00-12:15' }).helpLine;
    assert.deepEqual(line, { phone: '01 42 76 40 40', hours: { fromDay: 6, toDay: 6, opens: '09:00', closes: '12:15' } });
    assert.equal(helpLineHours(translator('fr'), line), 'le samedi, de 9 h à 12 h 15');
    assert.equal(helpLineHours(translator('en'), line), 'Saturdays, 9 am to 12:15 pm');
    assert.equal(telHref(line.phone), 'tel:0142764040');
  });

  it('SVC-1 a bad number or bad hours stop the program with one line that says how to write them', () => {
    assert.throws(() => loadConfig({ HELP_LINE_PHONE: 'call us' }), (e: Error) => e instanceof ConfigError && /HELP_LINE_PHONE must be a phone number/.test(e.message));
    for (const hours of ['lundi-vendredi', '5-1 08:30-18:00', '1-5 18:00-08:30', '1-8 08:00-12:00', '1-5 8:30-18:00'])
      assert.throws(() => loadConfig({ HELP_LINE_HOURS: hours }), (e: Error) => e instanceof ConfigError && /HELP_LINE_HOURS must be the days \(1 = Monday … 7 = Sunday\)/.test(e.message), hours);
  });
});
