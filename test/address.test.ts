import { describe, expect, it } from 'vitest';
import { emailAddressProblem, normalizeEmail, normalizePhone } from '../src/core/address.ts';
import { canonicalLocale, canonicalTimeZone, checkContactInput } from '../src/core/contact-input.ts';

describe('normalizeEmail', () => {
  it.each([
    ['anna@example.com', 'anna@example.com'],
    ['  Anna.Schmidt@Example.COM ', 'anna.schmidt@example.com'],
    ['a+tag@sub.example.co.uk', 'a+tag@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['x@xn--mnchen-3ya.de', 'x@xn--mnchen-3ya.de'],
    ['x@example.xn--p1ai', 'x@example.xn--p1ai'],
    ['info@müller.de', 'info@xn--mller-kva.de'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizeEmail(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'is empty'],
    ['anna.example.com', 'missing @'],
    ['a@b@example.com', 'more than one @'],
    ['@example.com', 'nothing before the @'],
    ['anna@', 'nothing after the @'],
    ['anna@localhost', 'domain has no dot'],
    ['an na@example.com', 'contains a space'],
    [`${'a'.repeat(65)}@example.com`, 'longer than 64'],
    [`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(10)}.com`, 'longer than 254'],
    ['.anna@example.com', 'starts or ends with a dot'],
    ['anna.@example.com', 'starts or ends with a dot'],
    ['an..na@example.com', 'two dots in a row'],
    ['an(na)@example.com', 'the character "("'],
    ['anna@exa_mple.com', 'domain label "exa_mple"'],
    ['anna@-example.com', 'domain label "-example"'],
    ['anna@example..com', 'empty label'],
    ['anna@example.c', 'top-level domain "c"'],
    ['anna@example.123', 'top-level domain "123"'],
    ['anna@[192.168.0.1]', 'IP address literals'],
    ['jürgen@example.com', 'non-ASCII'],
    [`a@${'b'.repeat(64)}.com`, 'longer than 63'],
  ])('rejects %j: %s', (raw, reason) => {
    const r = normalizeEmail(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('emailAddressProblem', () => {
  it.each([
    ['anna@example.com', null],
    ['anna@example.net', null],
    ['anna@mail.example.org', null],
    ['anna@shop.invalid', 'reserved_domain'],
    ['anna@foo.test', 'reserved_domain'],
    ['anna@dev.localhost', 'reserved_domain'],
    ['anna@docs.example', 'reserved_domain'],
    ['anna@printer.local', 'reserved_domain'],
    ['anna@hidden.onion', 'reserved_domain'],
    ['anna', 'syntax'],
    ['anna@example', 'syntax'],
  ])('%j → %j', (email, problem) => {
    expect(emailAddressProblem(email)).toBe(problem);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+4915112345678', '+4915112345678'],
    ['+49 151 1234 5678', '+4915112345678'],
    ['0049 (151) 1234-5678', '+4915112345678'],
    ['+49.151.1234.5678', '+4915112345678'],
    ['+49 30/1234567', '+49301234567'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+12345678', '+12345678'],
    ['+123456789012345', '+123456789012345'],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'is empty'],
    ['0151 1234567', 'no country code'],
    ['+49 151 CALL ME', 'contains letters'],
    ['+0049151', 'cannot start with 0'],
    ['+1234567', 'too short'],
    ['+1234567890123456', 'too long'],
    ['+49#151', 'only digits'],
  ])('rejects %j: %s', (raw, reason) => {
    const r = normalizePhone(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('contact fields', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    ['Mars/Olympus', null],
    ['+02:00', null],
  ])('time zone %j → %j', (raw, zone) => {
    expect(canonicalTimeZone(raw)).toBe(zone);
  });

  it.each([
    ['de-DE', 'de-DE'],
    ['de_de', 'de-DE'],
    ['EN-gb', 'en-GB'],
    ['de', 'de'],
    ['not a locale', null],
    ['x', null],
  ])('locale %j → %j', (raw, locale) => {
    expect(canonicalLocale(raw)).toBe(locale);
  });

  it('names every problem of a contact by field', () => {
    const { problems } = checkContactInput(
      {
        email: 'no-at',
        phone: '0151',
        timezone: 'Nowhere/City',
        locale: '??',
        messenger: { Telegram: '@anna', signal: '' },
        postal_address: { street: 'Hauptstr. 1', city: 'Berlin', country: 'Germany' },
        attributes: { tier: 'gold', '1st': 'x', nested: { a: 1 } },
        nickname: 'A',
      },
      { requireAddress: true },
    );
    expect(problems.map((p) => p.field).sort()).toEqual(
      [
        'nickname',
        'email',
        'phone',
        'timezone',
        'locale',
        'messenger.Telegram',
        'messenger.signal',
        'postal_address.postal_code',
        'postal_address.country',
        'attributes.1st',
        'attributes.nested',
      ].sort(),
    );
  });

  it('requires some address, and a phone alone is one (F0.2)', () => {
    expect(checkContactInput({ first_name: 'Nobody' }, { requireAddress: true }).problems[0].reason).toContain('has no address');
    expect(checkContactInput({ phone: '+49 151 1234 5678' }, { requireAddress: true })).toEqual({ fields: { phone: '+4915112345678' }, problems: [] });
    expect(checkContactInput({ messenger: { telegram: '@anna' } }, { requireAddress: true }).problems).toEqual([]);
    expect(checkContactInput({ first_name: 'Patch only' }, { requireAddress: false }).problems).toEqual([]);
  });
});
