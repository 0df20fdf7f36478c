/** src/lib: dates, stats and text helpers, checked against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { DAY_MS, dayIndex, dayKey, monthKey, monthRange, parseCliDate, parseTwitterDate, toIso } from '../../src/lib/dates.js';
import { clamp, medianOfFrequencies, ratio, sumKnown } from '../../src/lib/stats.js';
import { decodeEntities, forTerminal, inertJson, oneLine, stripTags, toJson } from '../../src/lib/text.js';
import { csvCell } from '../../src/lib/csv.js';
import { escapeHtml } from '../../src/lib/html.js';
import { pct } from '../../src/lib/format.js';

describe('parseTwitterDate', () => {
  it('reads a +0000 X archive date', () => {
    // Days 1970-01-01 → 2018-01-01: 48·365 + 12 leap days (1972…2016) = 17 532;
    // + Jan…Sep 2018 (31+28+31+30+31+30+31+31+30 = 273) + 9 → 17 814 days.
    // 17 814 × 86 400 = 1 539 129 600 s; + 20·3600 + 19·60 + 24 = 73 164 s → 1 539 202 764 s.
    expect(parseTwitterDate('Wed Oct 10 20:19:24 +0000 2018')).toBe(1_539_202_764_000);
    // and by an independent route, the ISO parser
    expect(parseTwitterDate('Wed Oct 10 20:19:24 +0000 2018')).toBe(Date.parse('2018-10-10T20:19:24Z'));
  });

  it('applies a positive offset: 20:19:24 at +0200 is 18:19:24 UTC', () => {
    // local − offset: 20:19:24 − 2 h = 18:19:24Z, same day
    expect(parseTwitterDate('Wed Oct 10 20:19:24 +0200 2018')).toBe(Date.parse('2018-10-10T18:19:24Z'));
  });

  it('applies a negative offset across midnight: 20:19:24 at -0530 is 01:49:24 UTC next day', () => {
    // 20:19:24 + 5 h 30 min = 25:49:24 → 2018-10-11T01:49:24Z
    expect(parseTwitterDate('Wed Oct 10 20:19:24 -0530 2018')).toBe(Date.parse('2018-10-11T01:49:24Z'));
  });

  it('returns NaN for anything that is not the X layout', () => {
    expect(parseTwitterDate('not a date')).toBeNaN();
    expect(parseTwitterDate('2018-10-10T20:19:24Z')).toBeNaN(); // ISO is not the X layout
    expect(parseTwitterDate('Wed Foo 10 20:19:24 +0000 2018')).toBeNaN(); // unknown month
    expect(parseTwitterDate('')).toBeNaN();
  });
});

describe('parseCliDate', () => {
  it('date-only is the start of the UTC day, or its end with endOfDay', () => {
    // 2025-03-01 00:00:00.000Z and 23:59:59.999Z (= start + 86 400 000 − 1)
    expect(parseCliDate('2025-03-01', false)).toBe(Date.parse('2025-03-01T00:00:00.000Z'));
    expect(parseCliDate('2025-03-01', true)).toBe(Date.parse('2025-03-01T23:59:59.999Z'));
    expect(parseCliDate('2025-03-01', true) - parseCliDate('2025-03-01', false)).toBe(86_400_000 - 1);
  });

  it('takes a full ISO time with a zone as given (endOfDay ignored)', () => {
    // 12:00 at +02:00 = 10:00Z
    expect(parseCliDate('2025-03-01T12:00:00+02:00', false)).toBe(Date.parse('2025-03-01T10:00:00Z'));
    expect(parseCliDate('2025-03-01T12:00:00+02:00', true)).toBe(Date.parse('2025-03-01T10:00:00Z'));
    expect(parseCliDate('2025-03-01T12:00Z', true)).toBe(Date.parse('2025-03-01T12:00:00Z'));
  });

  it('accepts 2024-02-29 (leap year) and rejects impossible or zone-less dates', () => {
    expect(parseCliDate('2024-02-29', false)).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseCliDate('2025-02-30', false)).toBeNaN(); // February 2025 has 28 days
    expect(parseCliDate('2025-02-29', true)).toBeNaN(); // 2025 is not a leap year
    expect(parseCliDate('2025-13-01', false)).toBeNaN();
    expect(parseCliDate('2025-03-01T12:00:00', false)).toBeNaN(); // no zone
    expect(parseCliDate('yesterday', false)).toBeNaN();
  });
});

describe('parseCliDate: impossible calendar dates with a time', () => {
  // docs/metrics.md §7: a CLI date is a date-only `YYYY-MM-DD` or a full ISO time. 2025-02-30 does not exist,
  // with or without a time; the date-only form is rejected (above), so the full form must be too.
  // (V8's Date.parse silently rolls 2025-02-30T10:00Z over to 2025-03-02T10:00Z.)
  it('rejects 2025-02-30T10:00:00Z and 2025-04-31T10:00:00+02:00 like the date-only form', () => {
    expect(parseCliDate('2025-02-30T10:00:00Z', false)).toBeNaN();
    expect(parseCliDate('2025-04-31T10:00:00+02:00', true)).toBeNaN(); // April has 30 days
  });
});

describe('dayIndex / dayKey / monthKey / monthRange', () => {
  it('dayIndex counts whole UTC days since the epoch', () => {
    expect(dayIndex(0)).toBe(0);
    expect(dayIndex(Date.parse('1970-01-01T23:59:59.999Z'))).toBe(0);
    expect(dayIndex(Date.parse('1970-01-02T00:00:00Z'))).toBe(1);
    expect(dayIndex(Date.parse('1969-12-31T23:00:00Z'))).toBe(-1);
    // 2024-01-01 = 1 704 067 200 s / 86 400 = 19 723 days
    expect(dayIndex(Date.parse('2024-01-01T12:34:56Z'))).toBe(19_723);
    expect(DAY_MS).toBe(24 * 60 * 60 * 1000);
  });

  it('dayKey and monthKey name the UTC day and month', () => {
    expect(dayKey(19_723)).toBe('2024-01-01');
    expect(dayKey(0)).toBe('1970-01-01');
    // 23:30 at −02:00 on Jan 31 is Feb 1 01:30Z: February in UTC
    expect(monthKey(Date.parse('2024-01-31T23:30:00-02:00'))).toBe('2024-02');
    expect(toIso(Date.parse('2024-01-01T00:00:00Z'))).toBe('2024-01-01T00:00:00.000Z');
  });

  it('monthRange lists every month, across a year end, inclusive', () => {
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthRange('2025-03', '2025-03')).toEqual(['2025-03']);
    expect(monthRange('2025-03', '2025-01')).toEqual([]);
  });
});

describe('medianOfFrequencies', () => {
  it('odd count: the middle value', () => {
    // 1, 3, 5 → 3
    expect(medianOfFrequencies(new Map([[5, 1], [1, 1], [3, 1]]))).toBe(3);
    // 2, 2, 2, 10, 10 → rank 2 (0-based) = 2
    expect(medianOfFrequencies(new Map([[10, 2], [2, 3]]))).toBe(2);
  });

  it('even count: the mean of the two middle values', () => {
    // 1, 2, 3, 4 → (2 + 3) / 2 = 2.5
    expect(medianOfFrequencies(new Map([[4, 1], [3, 1], [2, 1], [1, 1]]))).toBe(2.5);
    // 0, 0, 10, 10 → (0 + 10) / 2 = 5 (middle values in different buckets)
    expect(medianOfFrequencies(new Map([[0, 2], [10, 2]]))).toBe(5);
    // 4, 4 → 4
    expect(medianOfFrequencies(new Map([[4, 2]]))).toBe(4);
    // 1, 7, 7, 9 → (7 + 7) / 2 = 7
    expect(medianOfFrequencies(new Map([[1, 1], [7, 2], [9, 1]]))).toBe(7);
  });

  it('single value and empty table', () => {
    expect(medianOfFrequencies(new Map([[7, 1]]))).toBe(7);
    expect(medianOfFrequencies(new Map())).toBeNull();
  });
});

describe('ratio / sumKnown / clamp', () => {
  it('ratio divides, null on unknown or zero denominator', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(0, 5)).toBe(0);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(2, null)).toBeNull();
    expect(ratio(undefined, 2)).toBeNull();
    expect(ratio(2, undefined)).toBeNull();
  });

  it('sumKnown adds the known values, null when none is known', () => {
    expect(sumKnown([1, null, 2])).toBe(3); // 1 + 2
    expect(sumKnown([0, null])).toBe(0); // a known 0 is not unknown
    expect(sumKnown([null, null])).toBeNull();
    expect(sumKnown([])).toBeNull();
  });

  it('clamp bounds a value', () => {
    expect(clamp(1.5, 0, 1)).toBe(1);
    expect(clamp(-0.2, 0, 1)).toBe(0);
    expect(clamp(0.3, 0, 1)).toBe(0.3);
  });
});

describe('decodeEntities / stripTags', () => {
  it('decodes named and numeric entities', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt; &quot;q&quot; &#39;s&apos;')).toBe('a & b <c> "q" \'s\'');
    expect(decodeEntities('&#65;&#x42;')).toBe('AB'); // 65 = 'A', 0x42 = 66 = 'B'
    expect(decodeEntities('&#128512;')).toBe('\u{1F600}'); // 128512 = 0x1F600
    expect(decodeEntities('x&nbsp;y')).toBe('x\u00a0y');
  });

  it('decodes once, and leaves unknown or out-of-range entities and bare ampersands', () => {
    expect(decodeEntities('&amp;amp;')).toBe('&amp;'); // one pass only
    expect(decodeEntities('&bogus;')).toBe('&bogus;');
    expect(decodeEntities('&#x110000;')).toBe('&#x110000;'); // above U+10FFFF
    expect(decodeEntities('AT&T R&D')).toBe('AT&T R&D');
  });

  it('stripTags keeps the visible text of an X source fragment, decoded and trimmed', () => {
    expect(stripTags('<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>')).toBe('Twitter Web App');
    expect(stripTags('  <a href="x">Hootsuite &amp; Co</a>  ')).toBe('Hootsuite & Co');
    expect(stripTags('plain')).toBe('plain');
    expect(stripTags('<b></b>')).toBe('');
  });
});

describe('forTerminal / oneLine / toJson', () => {
  const R = '\ufffd';

  it('leaves clean text alone, RTL marks, joiners and emoji included', () => {
    const clean = 'Ana · café 👩‍💻 (\u200fשלום\u200e) 50 % — done';
    expect(forTerminal(clean)).toBe(clean);
    expect(forTerminal(clean, { lines: true })).toBe(clean);
    expect(toJson(clean)).toBe(JSON.stringify(clean));
  });

  it('turns each escape sequence into one stand-in', () => {
    expect(forTerminal('a\x1b[1;31mred\x1b[0m')).toBe(`a${R}red${R}`); // CSI with parameters
    expect(forTerminal('\x1b]8;;http://e.test/\x07link\x1b]8;;\x1b\\')).toBe(`${R}link${R}`); // OSC 8, ended by BEL, then by ESC \\
    expect(forTerminal('\x1bPq#0\x1b\\x')).toBe(`${R}x`); // DCS (sixel)
    expect(forTerminal('\x1bc\x1b(B!')).toBe(`${R}${R}!`); // full reset; character set
    // an OSC that never ends: the ESC and its next character only, the rest shows
    expect(forTerminal('\x1b]0;title')).toBe(`${R}0;title`);
    expect(forTerminal('end\x1b')).toBe(`end${R}`);
  });

  it('turns each other control, DEL, C1 control and bidi control into one stand-in', () => {
    expect(forTerminal('\x00\x07\x08\x0b\x0c\x7f')).toBe(R.repeat(6));
    expect(forTerminal('\x80\x85\x9b\x9f')).toBe(R.repeat(4));
    expect(forTerminal('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069')).toBe(R.repeat(9));
    expect(forTerminal('user\u202egnp.exe')).toBe(`user${R}gnp.exe`);
  });

  it('line breaks and tabs: spaces on one line; kept (LF, CRLF, tab) or made LF with lines', () => {
    const text = 'a\tb\nc\r\nd\re\u2028f\u2029g';
    expect(forTerminal(text)).toBe('a b c d e f g');
    expect(forTerminal(text, { lines: true })).toBe('a\tb\nc\r\nd\ne\nf\ng');
    // 'x y' + stand-in + ' ' = 5 characters, 6 more, then the ellipsis: 12
    expect(oneLine(`  x \n\n y\x1b[2J  ${'z'.repeat(20)}`, 12)).toBe(`x y${R} zzzzzz…`);
  });

  it('is idempotent', () => {
    const evil = 'a\x1b]8;;u\x07b\x9b\u202e\r\n\tc';
    for (const lines of [false, true]) expect(forTerminal(forTerminal(evil, { lines }), { lines })).toBe(forTerminal(evil, { lines }));
  });

  it('CSV cells and HTML text follow the same rule', () => {
    expect(csvCell('x\x1b[2Jy\r\nz')).toBe(`"x${R}y\r\nz"`);
    expect(csvCell('\x07=1')).toBe(`${R}=1`); // a stand-in first: no formula
    expect(csvCell('\x1b=1')).toBe(`${R}1`); // ESC = is a sequence of its own (keypad mode)
    expect(escapeHtml('<b>\x1b[2J\u202e</b>')).toBe(`&lt;b&gt;${R}${R}&lt;/b&gt;`);
  });

  it('toJson writes DEL, C1, bidi controls and line separators as \\u escapes: the same value', () => {
    const value = { s: 'a\x1b\x7f\x85\u202e\u2028b' };
    const json = toJson(value);
    expect(json).toBe('{"s":"a\\u001b\\u007f\\u0085\\u202e\\u2028b"}');
    expect(JSON.parse(json)).toEqual(value);
    expect(inertJson(JSON.stringify(value, null, 2))).toBe(toJson(value, 2));
  });
});

describe('pct', () => {
  it('a share too small for its last digit is "< 0.1 %", never a 0 that reads as none; 0 stays 0', () => {
    expect(pct(7 / 48_300)).toBe('< 0.1 %'); // 0.0145 %
    expect(pct(0)).toBe('0.0 %');
    expect(pct(0.0005)).toBe('0.1 %'); // 0.05 % rounds up to the last digit
    expect(pct(0.00049)).toBe('< 0.1 %');
    expect(pct(0.4656862745098039)).toBe('46.6 %');
    expect(pct(0.00004, 2)).toBe('< 0.01 %');
    expect(pct(null)).toBe('n/a');
  });
});

describe('pctWithin: a sampled share and its margin, never past 0 or 100 %', () => {
  it('says ± inside the range, else the one bound the margin gives', async () => {
    const { pctWithin } = await import('../../src/lib/format.js');
    expect(pctWithin(0.485, 0.03)).toBe('48.5 % ± 3.0 %');
    expect(pctWithin(0, 0.003)).toBe('0.0 % (at most 0.3 %)');
    expect(pctWithin(1, 0.003)).toBe('100.0 % (at least 99.7 %)');
    expect(pctWithin(0.5, null)).toBe('50.0 %');
  });
});

describe('marginOfError: never below the rule of three', () => {
  it('gives 1 in 1,000 no surer a margin than 0 in 1,000', async () => {
    const { marginOfError } = await import('../../src/metrics/audience-quality.js');
    const fpc = Math.sqrt((20_000 - 1000) / (20_000 - 1));
    expect(marginOfError(0, 1000, 20_000)).toBeCloseTo(0.003 * fpc, 12);
    expect(marginOfError(0.001, 1000, 20_000)).toBeCloseTo(0.003 * fpc, 12); // Wald would say 0.00196
    expect(marginOfError(0.5, 1000, 20_000)).toBeCloseTo(1.96 * Math.sqrt(0.25 / 1000) * fpc, 12);
  });
});
