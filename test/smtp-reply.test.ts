// Real reply lines from the big receivers and the common MTAs, and what each must mean.
import { describe, expect, it } from 'vitest';
import { classifySmtpReply, parseSmtpResponse } from '../src/core/smtp-reply.ts';

type Expected = 'sent' | 'deferred' | 'recipient' | 'sender_policy' | 'message' | 'unknown';

const CASES: Array<[source: string, response: string, expected: Expected]> = [
  // Gmail
  [
    'gmail user unknown (multi-line)',
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient's email address for typos or\r\n550-5.1.1 unnecessary spaces. Learn more at\r\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567qkb.123 - gsmtp",
    'recipient',
  ],
  ['gmail account disabled', '550-5.2.1 The email account that you tried to reach is disabled. Learn more at\r\n550 5.2.1  https://support.google.com/mail/?p=DisabledUser x - gsmtp', 'recipient'],
  ['gmail over quota', '552-5.2.2 The email account that you tried to reach is over quota. Please direct\r\n552-5.2.2 the recipient to\r\n552 5.2.2  https://support.google.com/mail/?p=OverQuotaTemp x - gsmtp', 'deferred'],
  [
    'gmail spam block',
    '550-5.7.1 [203.0.113.5] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp',
    'sender_policy',
  ],
  [
    'gmail unauthenticated',
    '550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM. - gsmtp',
    'sender_policy',
  ],
  [
    'gmail rate limited (421)',
    '421-4.7.28 [203.0.113.5 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
    'deferred',
  ],
  [
    'gmail rate limited (550 with temporary text)',
    '550-5.7.1 [203.0.113.5] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
    'deferred',
  ],
  [
    'gmail recipient receiving too fast',
    '450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message at a later time. - gsmtp',
    'deferred',
  ],
  ['gmail daily sending limit', '550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852 - gsmtp', 'deferred'],
  ['gmail message too big', "552-5.3.4 Your message exceeded Google's message size limits. Please visit\r\n552 5.3.4  https://support.google.com/mail/?p=MaxSizeError x - gsmtp", 'message'],
  ['gmail try again later', '421 4.7.0 Try again later, closing connection. (EHLO) x - gsmtp', 'deferred'],
  [
    'gmail recipient-domain policy',
    '550 5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. - gsmtp',
    'sender_policy',
  ],
  ['gmail accepted', '250 2.0.0 OK  1700000000 d1-20020a05622a000100b00abc.123 - gsmtp', 'sent'],
  // Microsoft (Outlook.com, Microsoft 365)
  [
    'outlook mailbox unavailable',
    '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [BN1NAM02FT001.eop-nam02.prod.protection.outlook.com]',
    'recipient',
  ],
  ['m365 directory-based edge blocking', '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com]', 'recipient'],
  [
    'outlook block list',
    "550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    'sender_policy',
  ],
  ['m365 banned IP', '550 5.7.606 Access denied, banned sending IP [203.0.113.5]. To request removal from this list please visit https://sender.office.com/', 'sender_policy'],
  ['outlook server busy', '451 4.7.500 Server busy. Please try again later from [203.0.113.5]. (S77719) [x.prod.protection.outlook.com]', 'deferred'],
  ['m365 recipient not found', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'recipient'],
  ['exchange mailbox full', '552 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', 'deferred'],
  [
    'm365 DMARC reject',
    '550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject.',
    'sender_policy',
  ],
  // Yahoo / AOL
  ['yahoo no account', "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com", 'recipient'],
  [
    'yahoo mailbox disabled',
    '554 delivery error: dd Sorry your message to someone@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.bf1.yahoo.com',
    'recipient',
  ],
  [
    'yahoo TSS04 volume deferral',
    '421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    'deferred',
  ],
  ['yahoo policy', '554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes', 'sender_policy'],
  [
    'yahoo TSS09 "permanently deferred" is a failure',
    '553 5.7.2 [TSS09] All messages from 203.0.113.5 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes',
    'sender_policy',
  ],
  ['yahoo old mailbox not found', '552 1 Requested mail action aborted, mailbox not found', 'recipient'],
  ['yahoo temporary', '451 Message temporarily deferred - [160]', 'deferred'],
  // Postfix
  ['postfix user unknown', '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table', 'recipient'],
  ['postfix relay denied', '554 5.7.1 <x@example.com>: Relay access denied', 'sender_policy'],
  ['postfix sender domain not found (4xx)', '450 4.1.8 <bounce@sender.example>: Sender address rejected: Domain not found', 'deferred'],
  ['postfix sender verification', '550 5.1.7 <bounce@sender.example>: Sender address rejected: undeliverable address: host mx.sender.example said: 550 no', 'sender_policy'],
  ['postfix message size', '552 5.3.4 Message size exceeds fixed limit', 'message'],
  ['postfix RBL', '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.5', 'sender_policy'],
  ['postgrey greylisting', '451 4.7.1 <x@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html', 'deferred'],
  ['postfix too many recipients', '452 4.5.3 Error: too many recipients', 'deferred'],
  ['postfix domain not found', '550 5.1.2 <x@nonexistent.example>: Recipient address rejected: Domain not found', 'recipient'],
  ['postfix accepted', '250 2.0.0 Ok: queued as 4bN7Xr3Tq1z9tLp', 'sent'],
  ['amavis spam', '554 5.7.0 Reject, id=12345-01 - SPAM', 'sender_policy'],
  ['amavis banned attachment', '554 5.6.0 Reject, id=12345-02 - BANNED: .exe', 'message'],
  ['postfix bad sequence', '503 5.5.1 Error: need MAIL command', 'deferred'],
  // Exim
  ['exim unrouteable', '550 Unrouteable address', 'recipient'],
  ['exim sender verify', '550-Verification failed for <bounce@sender.example>\n550-Unrouteable address\n550 Sender verify failed', 'sender_policy'],
  ['exim no such user', '550 No Such User Here', 'recipient'],
  ['exim prohibition', '550 Administrative prohibition', 'sender_policy'],
  ['exim temporary local problem', '451 Temporary local problem - please try later', 'deferred'],
  ['exim size', '552 Message size exceeds maximum permitted', 'message'],
  // qmail (enhanced code at the end)
  ['qmail no mailbox', '550 sorry, no mailbox here by that name. (#5.1.1)', 'recipient'],
  ['qmail rcpthosts', "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", 'sender_policy'],
  // Filters and others
  ['proofpoint block', '554 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.5', 'sender_policy'],
  ['barracuda reputation', '554 Service unavailable; Client host [203.0.113.5] blocked using Barracuda Reputation', 'sender_policy'],
  ['mimecast anti-spoofing', '550 Rejected by header based Anti-Spoofing policy: x@example.com', 'sender_policy'],
  ['icloud inactive', '550 5.1.1 <x@icloud.com>: inactive email address', 'recipient'],
  ['mail.ru user not found', '550 Message was not accepted -- invalid mailbox.  Local mailbox x@mail.ru is unavailable: user not found', 'recipient'],
  ['yandex policy on target', '550 5.7.1 Policy rejection on the target address', 'sender_policy'],
  ['generic mailbox unavailable', '550 Requested action not taken: mailbox unavailable', 'recipient'],
  ['bare transaction failed', '554 Transaction failed', 'unknown'],
  ['bare 551', '551 User not local; please try <forward@example.com>', 'recipient'],
  ['unexpected 354 at the end', '354 End data with <CR><LF>.<CR><LF>', 'deferred'],
];

function outcomeOf(response: string): Expected {
  const { code, enhanced, text } = parseSmtpResponse(response);
  const c = classifySmtpReply(code, enhanced, text);
  if (c.outcome === 'failed') return c.failureClass!;
  return c.outcome;
}

describe('classifySmtpReply: real-world replies', () => {
  it.each(CASES)('%s', (_source, response, expected) => {
    expect(outcomeOf(response)).toBe(expected);
  });

  it('has at least 30 real reply lines', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it('always explains itself and gives a class exactly when failed', () => {
    for (const [, response] of CASES) {
      const { code, enhanced, text } = parseSmtpResponse(response);
      const c = classifySmtpReply(code, enhanced, text);
      expect(c.reason.length).toBeGreaterThan(10);
      expect(c.failureClass !== undefined).toBe(c.outcome === 'failed');
    }
  });
});

describe('classifySmtpReply: rules', () => {
  it('defers when there was no reply at all', () => {
    const c = classifySmtpReply(null, null, 'connect ECONNREFUSED 127.0.0.1:2525');
    expect(c).toMatchObject({ outcome: 'deferred' });
    expect(c.reason).toContain('ECONNREFUSED');
  });

  it('never fails a 4xx, whatever its text or enhanced code says', () => {
    for (const code of [421, 450, 451, 452, 454, 471]) {
      expect(classifySmtpReply(code, '4.1.1', 'user unknown, blocked as spam').outcome).toBe('deferred');
    }
  });

  it('believes an address enhanced code over "try again later" prose', () => {
    expect(classifySmtpReply(550, '5.1.1', 'no such user, try again later')).toMatchObject({ outcome: 'failed', failureClass: 'recipient' });
  });

  it('reads the enhanced code before the text', () => {
    expect(classifySmtpReply(550, '5.7.1', 'user unknown')).toMatchObject({ failureClass: 'sender_policy' });
    expect(classifySmtpReply(550, '5.6.0', 'spam')).toMatchObject({ failureClass: 'message' });
    expect(classifySmtpReply(554, '5.4.4', 'unable to route')).toMatchObject({ failureClass: 'recipient' });
  });

  it('falls back to the enhanced class digit when only the enhanced code is known', () => {
    expect(classifySmtpReply(null, '5.1.1', 'bad mailbox')).toMatchObject({ outcome: 'failed', failureClass: 'recipient' });
    expect(classifySmtpReply(null, '4.4.1', 'no answer')).toMatchObject({ outcome: 'deferred' });
  });
});

describe('parseSmtpResponse', () => {
  it('splits code, enhanced code and text', () => {
    expect(parseSmtpResponse('550 5.1.1 <x@y>: Recipient address rejected')).toEqual({
      code: 550,
      enhanced: '5.1.1',
      text: '<x@y>: Recipient address rejected',
    });
  });

  it('joins multi-line replies without the repeated codes', () => {
    const p = parseSmtpResponse('550-5.1.1 The email account\r\n550-5.1.1 does not exist.\r\n550 5.1.1 Learn more');
    expect(p).toEqual({ code: 550, enhanced: '5.1.1', text: 'The email account does not exist. Learn more' });
  });

  it('reads a qmail-style trailing enhanced code', () => {
    expect(parseSmtpResponse('550 sorry, no mailbox here by that name. (#5.1.1)')).toEqual({
      code: 550,
      enhanced: '5.1.1',
      text: 'sorry, no mailbox here by that name.',
    });
  });

  it('gives code null for text that is not a reply', () => {
    expect(parseSmtpResponse('Connection timeout')).toEqual({ code: null, enhanced: null, text: 'Connection timeout' });
    expect(parseSmtpResponse('')).toEqual({ code: null, enhanced: null, text: '' });
  });

  it('does not take a reply without an enhanced code for one', () => {
    expect(parseSmtpResponse('552 1 Requested mail action aborted')).toEqual({ code: 552, enhanced: null, text: '1 Requested mail action aborted' });
    expect(parseSmtpResponse('250 Ok')).toEqual({ code: 250, enhanced: null, text: 'Ok' });
  });
});
