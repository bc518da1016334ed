// Bounce and complaint intake, pure part: VERP signing, and parsing + classifying the real-world
// corpus in ../shared/corpora/bounces (333 messages from many MTAs). Every message must parse;
// the table below holds the expected kind, recipients, status codes and classes, checked by
// reading each message's report (ambiguous ones are left out rather than guessed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFiles } from '../src/cli/commands/bounces.ts';
import { type BounceClass, classifyReport } from '../src/core/bounces/classify-bounce.ts';
import { parseReport } from '../src/core/bounces/parse-report.ts';
import { parseVerp, verpAddress } from '../src/core/bounces/verp.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpora/bounces');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/bounces');

function corpusFiles(): string[] {
  if (!existsSync(CORPUS)) throw new Error(`the bounce corpus is missing: expected ${CORPUS} (shared/ beside the repository)`);
  return readdirSync(CORPUS).filter((f) => f.endsWith('.eml')).sort();
}

async function classifyFile(file: string) {
  return classifyReport(await parseReport(readFileSync(path.join(CORPUS, file))));
}

type Expected = [file: string, kind: string, recipients: Array<[address: string, status: string | null, cls: BounceClass]>];

const LABELS: Expected[] = [
  ['arf-01', 'complaint', [['redacted@example.net', null, 'complaint']]],
  ['arf-17', 'complaint', [['kijitora@example.com', null, 'complaint']]],
  ['arf-19', 'complaint', [['kijitora@example.org', null, 'complaint']]],
  ['arf-21', 'complaint', [['kijitora@example.org', null, 'complaint']]],
  ['arf-23', 'complaint', [['kijitora@example.com', null, 'complaint']]],
  ['arf-25', 'complaint', [['hashed@example.com', null, 'complaint']]],
  ['lhost-activehunter-01', 'nonstandard_bounce', [['kijitora@example.org', '5.1.1', 'hard']]],
  ['lhost-amavis-01', 'dsn', [['neko@example.co.jp', '5.1.1', 'hard']]],
  ['lhost-amavis-03', 'dsn', [['kijitora@example.com', '5.7.0', 'sender_policy']]],
  ['lhost-amazonses-05', 'dsn', [['bounce@simulator.amazonses.com', '5.1.1', 'hard']]],
  ['lhost-amazonses-07', 'dsn', [['6@neko.nyaan.example.org', '5.7.6', 'sender_policy']]],
  ['lhost-amazonses-09', 'dsn', [['bounce@simulator.amazonses.com', '5.1.1', 'hard']]],
  ['lhost-amazonses-11', 'complaint', [['complaint@simulator.amazonses.com', null, 'complaint']]],
  ['lhost-amazonses-15', 'dsn', [['kijitora@neko.example.com', '5.7.1', 'sender_policy']]],
  ['lhost-amazonses-17', 'dsn', [['kijitora@example.com', '4.4.7', 'soft']]],
  ['lhost-amazonses-19', 'dsn', [['kijitora@example.com', '5.7.1', 'soft']]],
  ['lhost-amazonses-21', 'dsn', [['kijitora@example.com', '5.7.1', 'sender_policy']]],
  ['lhost-amazonworkmail-01', 'dsn', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-amazonworkmail-05', 'dsn', [['sabatora@example.libsisimai.org', '4.4.7', 'soft']]],
  ['lhost-amazonworkmail-07', 'dsn', [['kijitora@libsisimai.org', '4.4.7', 'soft']]],
  ['lhost-barracuda-01', 'dsn', [['kijitora@example.org', '5.7.1', 'sender_policy']]],
  ['lhost-courier-01', 'dsn', [['kijitora@example.co.jp', '5.1.1', 'hard']]],
  ['lhost-courier-03', 'dsn', [['kijitora@example.jp', '5.7.1', 'sender_policy']]],
  ['lhost-domino-03', 'dsn', [['kijitora@neko.example.org', '5.0.0', 'sender_policy']]],
  ['lhost-dragonfly-01', 'nonstandard_bounce', [['pseudo-local-part@google.example.com', '5.7.26', 'sender_policy']]],
  ['lhost-dragonfly-03', 'nonstandard_bounce', [['pseudo-local-part@yahoo-inc.example.com', '5.7.9', 'sender_policy']]],
  ['lhost-dragonfly-05', 'nonstandard_bounce', [['authfailure@libsisimai.net', '5.7.26', 'sender_policy']]],
  ['lhost-dragonfly-07', 'nonstandard_bounce', [['contenterror@libsisimai.net', '5.6.0', 'sender_policy']]],
  ['lhost-dragonfly-09', 'nonstandard_bounce', [['filtered@libsisimai.net', '5.2.1', 'hard']]],
  ['lhost-dragonfly-11', 'nonstandard_bounce', [['hostunknown@libsisimai.net', '5.1.2', 'hard']]],
  ['lhost-dragonfly-15', 'nonstandard_bounce', [['norelaying@libsisimai.net', '5.7.0', 'sender_policy']]],
  ['lhost-dragonfly-19', 'nonstandard_bounce', [['securityerror@libsisimai.net', '5.7.1', 'sender_policy']]],
  ['lhost-dragonfly-21', 'nonstandard_bounce', [['suspend@libsisimai.net', '5.7.13', 'sender_policy']]],
  ['lhost-dragonfly-25', 'nonstandard_bounce', [['virusdetected@libsisimai.net', '5.7.0', 'sender_policy']]],
  ['lhost-dragonfly-27', 'nonstandard_bounce', [['neko-nyaan@example.org', '5.7.13', 'sender_policy']]],
  ['lhost-exchange2003-01', 'nonstandard_bounce', [['kijitora@example.jp', null, 'hard']]],
  ['lhost-exchange2003-05', 'nonstandard_bounce', [['kijitora@example.com', null, 'hard']]],
  ['lhost-exchange2003-07', 'nonstandard_bounce', [['kijitora@example.org', null, 'hard']]],
  ['lhost-exchange2007-01', 'dsn', [['mikeneko@example.co.jp', '5.1.1', 'hard']]],
  ['lhost-exchange2007-03', 'dsn', [['kijitora@neko.example.com', '5.2.3', 'sender_policy']]],
  ['lhost-exchange2007-05', 'dsn', [['gwang1@student.mlcsyd.nsw.edu.au', '4.4.7', 'soft']]],
  ['lhost-exchange2007-07', 'dsn', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-exim-01', 'nonstandard_bounce', [['kijitora@example.ed.jp', '5.7.0', 'sender_policy']]],
  ['lhost-exim-03', 'nonstandard_bounce', [['kijitora@example.jp', '5.7.0', 'sender_policy']]],
  ['lhost-exim-05', 'nonstandard_bounce', [['kijitora@neko.example.co.jp', '5.1.1', 'hard']]],
  ['lhost-exim-29', 'dsn', [['kijitora@example.co.jp', '5.0.0', 'sender_policy']]],
  ['lhost-exim-33', 'nonstandard_bounce', [['pseudo-local-part-kijitora-nyaan@comcast.net', '5.0.0', 'sender_policy']]],
  ['lhost-exim-35', 'nonstandard_bounce', [['kijitora@example.com', '5.0.0', 'sender_policy']]],
  ['lhost-exim-37', 'nonstandard_bounce', [['kijitora@example.net', '5.0.0', 'hard']]],
  ['lhost-exim-39', 'nonstandard_bounce', [['kijitora@example.net', '5.0.0', 'sender_policy']]],
  ['lhost-exim-41', 'nonstandard_bounce', [['kijitora@example.net', '4.0.0', 'soft']]],
  ['lhost-exim-43', 'dsn', [['kijitora@example.net', '5.7.1', 'sender_policy']]],
  ['lhost-exim-47', 'nonstandard_bounce', [['kijitora@example.net', '5.0.0', 'sender_policy']]],
  ['lhost-exim-51', 'nonstandard_bounce', [['kijitora@example.org', '5.1.0', 'hard']]],
  ['lhost-exim-53', 'nonstandard_bounce', [['kijitora@example.com', null, 'hard']]],
  ['lhost-exim-55', 'nonstandard_bounce', [['kijitora@example.com', '5.7.0', 'sender_policy']]],
  ['lhost-exim-59', 'nonstandard_bounce', [['kijitora@icloud.example.com', '5.1.1', 'hard']]],
  ['lhost-exim-61', 'nonstandard_bounce', [['xxxx@xxxx.net', '5.1.1', 'hard']]],
  ['lhost-ezweb-03', 'nonstandard_bounce', [['this-local-part-does-not-exist-on-the-site@ezweb.ne.jp', null, 'hard']]],
  ['lhost-ezweb-05', 'nonstandard_bounce', [['this-local-part-does-not-exist-on-the-server@ezweb.ne.jp', null, 'hard']]],
  ['lhost-ezweb-07', 'nonstandard_bounce', [['this-local-part-does-not-exist@ezweb.ne.jp', '5.0.0', 'hard']]],
  ['lhost-gmail-01', 'nonstandard_bounce', [['userunknown@example.jp', '5.1.1', 'hard']]],
  ['lhost-gmail-03', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.7.0', 'sender_policy']]],
  ['lhost-gmail-09', 'nonstandard_bounce', [['kijitora@9jo.example.jp', null, 'soft']]],
  ['lhost-gmail-11', 'nonstandard_bounce', [['kijitora@example.com', null, 'hard']]],
  ['lhost-gmail-15', 'nonstandard_bounce', [['mikeneko@libsisimai.org', null, 'hard']]],
  ['lhost-gmail-17', 'nonstandard_bounce', [['mikeneko@libsisimai.org', null, 'soft']]],
  ['lhost-gmail-19', 'nonstandard_bounce', [['neko-nyaan@google.example.com', null, 'soft']]],
  ['lhost-gmx-01', 'nonstandard_bounce', [['shironeko@example.jp', '5.2.2', 'soft']]],
  ['lhost-gmx-03', 'nonstandard_bounce', [['mikeneko@example.co.jp', '5.2.1', 'hard'], ['sabineko@example.co.jp', '5.2.2', 'soft']]],
  ['lhost-googleworkspace-01', 'dsn', [['neko-nyaan-cat-meeting@google-groups.example.com', null, 'sender_policy']]],
  ['lhost-imailserver-01', 'nonstandard_bounce', [['kijitora@example.com', null, 'hard']]],
  ['lhost-kddi-01', 'nonstandard_bounce', [['kijitora@x0000000000000.dion.ne.jp', null, 'soft']]],
  ['lhost-kddi-03', 'nonstandard_bounce', [['kijitora@00000000000000.dion.ne.jp', null, 'soft']]],
  ['lhost-mailfoundry-01', 'nonstandard_bounce', [['kijitora@example.org', '5.0.0', 'hard']]],
  ['lhost-mailru-01', 'nonstandard_bounce', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-mailru-03', 'nonstandard_bounce', [['mikeneko@example.jp', '5.2.2', 'soft'], ['sabineko@example.jp', '5.2.1', 'hard']]],
  ['lhost-mailru-05', 'nonstandard_bounce', [['neko@libsisimai.org', null, 'hard']]],
  ['lhost-mailru-07', 'nonstandard_bounce', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.0.0', 'hard']]],
  ['lhost-mailru-09', 'nonstandard_bounce', [['kijitora@example.jp', '5.1.8', 'sender_policy']]],
  ['lhost-mcafee-01', 'dsn', [['kijitora@example.co.jp', '5.0.0', 'hard']]],
  ['lhost-mcafee-03', 'dsn', [['kijitora@example.or.jp', '5.1.1', 'hard']]],
  ['lhost-mcafee-05', 'dsn', [['kijitora-nyaan@example.co.jp', '5.0.0', 'hard']]],
  ['lhost-messagingserver-01', 'dsn', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-messagingserver-05', 'dsn', [['kijitora@example.jp', '5.4.4', 'hard']]],
  ['lhost-messagingserver-07', 'dsn', [['kijitora@2jo.example.jp', '4.4.7', 'soft']]],
  ['lhost-messagingserver-09', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.0.0', 'hard']]],
  ['lhost-messagingserver-11', 'dsn', [['kijitora@example.jp', '5.1.8', 'sender_policy']]],
  ['lhost-mfilter-01', 'nonstandard_bounce', [['kijitora@example.com', '5.0.0', 'hard']]],
  ['lhost-mfilter-03', 'nonstandard_bounce', [['kijitora@example.org', '5.0.0', 'hard']]],
  ['lhost-mfilter-05', 'nonstandard_bounce', [['kijitora@example.co.jp', '4.3.1', 'soft']]],
  ['lhost-mimecast-01', 'nonstandard_bounce', [['sabineko@neko.ef.example.org', '5.4.1', 'hard']]],
  ['lhost-mxlogic-01', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.1.1', 'hard']]],
  ['lhost-mxlogic-03', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.0.0', 'hard']]],
  ['lhost-office365-01', 'nonstandard_bounce', [['kijitora@example.com', '5.1.10', 'hard']]],
  ['lhost-office365-03', 'dsn', [['kijitora@example.com', '5.1.0', 'sender_policy']]],
  ['lhost-office365-05', 'dsn', [['kijitora@example.jp', '5.1.8', 'sender_policy']]],
  ['lhost-office365-07', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.1.351', 'hard']]],
  ['lhost-office365-09', 'dsn', [['azumakuniyuki@example.ne.jp', '5.1.351', 'hard']]],
  ['lhost-office365-11', 'dsn', [['kijitora@cr3.neko.nyaan.jp', '5.1.1', 'hard']]],
  ['lhost-office365-13', 'dsn', [['kijitora-nyaan@neko.kyoto.example.jp', '5.1.10', 'hard']]],
  ['lhost-opensmtpd-01', 'nonstandard_bounce', [['apdugoaidugoaidugoaeiudggadi@gmail.com', '5.1.1', 'hard']]],
  ['lhost-opensmtpd-03', 'nonstandard_bounce', [['kijitora@neko.example.jp', null, 'hard']]],
  ['lhost-opensmtpd-05', 'nonstandard_bounce', [['kijitora@mail.example.co.jp', null, 'soft']]],
  ['lhost-opensmtpd-11', 'dsn', [['authfailure@libsisimai.net', '5.7.26', 'sender_policy']]],
  ['lhost-opensmtpd-13', 'dsn', [['pseudo-local-part-of-yahoo-inc@yahoo.com', '4.7.0', 'soft']]],
  ['lhost-opensmtpd-15', 'dsn', [['neko@nyaan.jp', '4.4.7', 'soft']]],
  ['lhost-opensmtpd-17', 'dsn', [['userunknown@libsisimai.net', '5.1.1', 'hard'], ['mailboxfull@libsisimai.net', '5.2.2', 'soft']]],
  ['lhost-outlook-01', 'dsn', [['kijitora@example.jp', '5.2.2', 'soft']]],
  ['lhost-outlook-03', 'dsn', [['kijitora@example.jp', '5.5.0', 'hard']]],
  ['lhost-outlook-07', 'dsn', [['kijitora@example.com', '4.4.7', 'soft']]],
  ['lhost-postfix-03', 'dsn', [['kijitora@example.net', '5.0.0', 'hard']]],
  ['lhost-postfix-05', 'dsn', [['kijitora@example.org', '4.1.1', 'soft']]],
  ['lhost-postfix-07', 'nonstandard_bounce', [['kijitora@user.example.or.jp', '5.0.0', 'hard']]],
  ['lhost-postfix-09', 'dsn', [['kijitora@example.ne.jp', '4.3.2', 'soft']]],
  ['lhost-postfix-11', 'dsn', [['kijitora@example.jp', '5.1.8', 'sender_policy'], ['noraneko@example.jp', '5.1.8', 'sender_policy']]],
  ['lhost-postfix-13', 'dsn', [['kijitora@example.jp', '5.2.1', 'hard'], ['noraneko@example.jp', '5.2.2', 'soft']]],
  ['lhost-postfix-15', 'dsn', [['kijitora@bukkoji.example.org', '4.4.1', 'soft']]],
  ['lhost-postfix-17', 'dsn', [['kijitora@example.org', '5.4.4', 'hard']]],
  ['lhost-postfix-29', 'dsn', [['kijitora@gmail.example.com', '5.7.1', 'sender_policy']]],
  ['lhost-postfix-31', 'dsn', [['kijitora@gmail.com', '5.1.1', 'hard']]],
  ['lhost-postfix-33', 'dsn', [['userunknown@libsisimai.org', '5.1.1', 'hard']]],
  ['lhost-postfix-35', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.0.0', 'hard']]],
  ['lhost-postfix-37', 'dsn', [['nyaan@example.org', '4.4.1', 'soft']]],
  ['lhost-postfix-39', 'dsn', [['kijitora@example.com', '5.6.0', 'sender_policy']]],
  ['lhost-postfix-43', 'dsn', [['kijitora@example.net', '4.3.0', 'soft']]],
  ['lhost-postfix-45', 'dsn', [['kijitora@example.net', '4.3.0', 'soft']]],
  ['lhost-postfix-49', 'dsn', [['kijitora-neko-nyaan@ntt.example.ne.jp', '4.0.0', 'soft']]],
  ['lhost-postfix-51', 'dsn', [['neko@example.co.jp', '5.7.0', 'sender_policy']]],
  ['lhost-postfix-55', 'dsn', [['neko-nyaan@example.ne.jp', '5.0.0', 'soft']]],
  ['lhost-postfix-57', 'dsn', [['kijitora@cr.nyaan.jp', '5.2.1', 'hard']]],
  ['lhost-postfix-59', 'dsn', [['kijitora@ggl.example.org', '5.2.1', 'hard']]],
  ['lhost-postfix-61', 'dsn', [['neko@email.example.ua', '5.0.0', 'hard']]],
  ['lhost-postfix-63', 'dsn', [['neko@nyaaan.example.org', '5.2.2', 'soft']]],
  ['lhost-postfix-65', 'dsn', [['nyaan@example.org', '5.0.0', 'sender_policy']]],
  ['lhost-postfix-67', 'dsn', [['kijitora@aol.example.jp', '5.7.9', 'sender_policy']]],
  ['lhost-postfix-69', 'dsn', [['kijitora@yahoo.example.com', '5.7.9', 'sender_policy']]],
  ['lhost-postfix-71', 'dsn', [['kijitora@apple.example.com', '5.7.1', 'sender_policy']]],
  ['lhost-postfix-73', 'dsn', [['kijitora@zoho.example.com', '5.7.1', 'sender_policy']]],
  ['lhost-postfix-75', 'nonstandard_bounce', [['kijitora@libsisimai.net', '4.3.0', 'soft']]],
  ['lhost-postfix-77', 'dsn', [['postmaster@libsisimai.org', '5.0.0', 'hard']]],
  ['lhost-powermta-01', 'dsn', [['kijitora@example.jp', '5.2.1', 'hard']]],
  ['lhost-powermta-03', 'dsn', [['kijitora@libsisimai.org', '5.2.1', 'hard']]],
  ['lhost-qmail-01', 'nonstandard_bounce', [['kijitora@example.ne.jp', '5.5.0', 'hard']]],
  ['lhost-qmail-03', 'nonstandard_bounce', [['kijitora@example.org', '5.7.1', 'sender_policy']]],
  ['lhost-qmail-09', 'nonstandard_bounce', [['neko@example.co.jp', '5.7.606', 'sender_policy']]],
  ['lhost-qmail-11', 'nonstandard_bounce', [['neko@nyaan.jp', '5.4.4', 'hard']]],
  ['lhost-qmail-13', 'nonstandard_bounce', [['nekochan@cx.libsisimai.com', '5.1.2', 'hard']]],
  ['lhost-qmail-15', 'nonstandard_bounce', [['pseudo-local-part-of-microsoft-outlook@outlook.com', '5.7.509', 'sender_policy']]],
  ['lhost-qmail-17', 'nonstandard_bounce', [['userunknown@libsisimai.net', '5.1.1', 'hard'], ['mailboxfull@libsisimai.net', '5.2.2', 'soft']]],
  ['lhost-qmail-19', 'nonstandard_bounce', [['pseudo-local-part-of-yahoo-inc@yahoo.com', '4.7.0', 'soft']]],
  ['lhost-qmail-21', 'nonstandard_bounce', [['libgsasl7-dev@email.example.jp', '5.1.1', 'hard']]],
  ['lhost-qmail-23', 'nonstandard_bounce', [['userunknown@libsisimai.net', '5.1.1', 'hard']]],
  ['lhost-qmail-25', 'nonstandard_bounce', [['mailboxfull@libsisimai.net', '5.2.2', 'soft'], ['userunknown@libsisimai.net', '5.1.1', 'hard']]],
  ['lhost-receivingses-01', 'dsn', [['userunknown@neko.example.jp', '5.1.1', 'hard']]],
  ['lhost-receivingses-03', 'dsn', [['temperror@neko.example.jp', '4.0.0', 'soft']]],
  ['lhost-receivingses-05', 'dsn', [['exceedlimit@neko.example.jp', '5.3.4', 'sender_policy']]],
  ['lhost-sendgrid-01', 'dsn', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-sendmail-01', 'dsn', [['userunknown@bouncehammer.jp', '5.1.1', 'hard']]],
  ['lhost-sendmail-05', 'dsn', [['kijitora@example.org', '5.2.3', 'sender_policy']]],
  ['lhost-sendmail-07', 'dsn', [['kijitora@example.org', '5.7.1', 'sender_policy']]],
  ['lhost-sendmail-09', 'dsn', [['kijitora@example.co.jp', '5.7.9', 'sender_policy']]],
  ['lhost-sendmail-11', 'dsn', [['kijitora@example.co.jp', '4.4.7', 'soft']]],
  ['lhost-sendmail-15', 'dsn', [['kijitora@example.org', '5.1.2', 'hard']]],
  ['lhost-sendmail-17', 'dsn', [['kijitora@example.net', '5.1.6', 'hard']]],
  ['lhost-sendmail-19', 'dsn', [['kijitora@ntt.example.ne.jp', '5.2.0', 'hard']]],
  ['lhost-sendmail-21', 'dsn', [['kijitora@cat.example.ne.jp', '4.4.7', 'soft']]],
  ['lhost-sendmail-27', 'dsn', [['this-local-part-does-not-exist-on-the-system@mineo.jp', '5.0.0', 'hard']]],
  ['lhost-sendmail-29', 'dsn', [['this-local-part-does-not-exist-on-the-system@y-mobile.ne.jp', '4.5.0', 'soft']]],
  ['lhost-sendmail-31', 'dsn', [['kijitora@example.net', '5.7.0', 'sender_policy'], ['sabatora@example.net', '5.7.0', 'sender_policy']]],
  ['lhost-sendmail-33', 'dsn', [['mailboxfull@neko.example.org', '5.7.1', 'sender_policy']]],
  ['lhost-sendmail-37', 'dsn', [['kijitora@nyaan.example.com', '5.1.1', 'hard']]],
  ['lhost-sendmail-39', 'dsn', [['kijitora@nekochan.example.ne.jp', '4.4.7', 'soft']]],
  ['lhost-sendmail-41', 'dsn', [['this-local-part-does-not-exist@yahoo.com', '5.0.0', 'hard']]],
  ['lhost-sendmail-43', 'dsn', [['kijitora@gmail.example.com', '5.7.1', 'sender_policy']]],
  ['lhost-sendmail-45', 'dsn', [['pseudo-local-part-kijitora-nyaaan@orange.fr', '5.1.1', 'hard']]],
  ['lhost-sendmail-47', 'dsn', [['pseudo-local-part-kijitora-nyaan@free.fr', '5.1.1', 'hard']]],
  ['lhost-sendmail-49', 'dsn', [['this-local-part-does-not-exist-on@au.com', '5.1.1', 'hard']]],
  ['lhost-sendmail-51', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.2.0', 'hard']]],
  ['lhost-sendmail-53', 'dsn', [['sironeko@example.com', '5.0.0', 'sender_policy']]],
  ['lhost-sendmail-59', 'dsn', [['info@example.jp', '5.7.1', 'sender_policy']]],
  ['lhost-surfcontrol-01', 'dsn', [['kijitora@example.com', '5.0.0', 'hard']]],
  ['lhost-trendmicro-01', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.1.1', 'hard']]],
  ['lhost-trendmicro-03', 'nonstandard_bounce', [['kijitora@example.jp', null, 'hard']]],
  ['lhost-v5sendmail-01', 'nonstandard_bounce', [['kijitora@example.com', '4.0.0', 'soft']]],
  ['lhost-v5sendmail-03', 'nonstandard_bounce', [['kijitora@example.org', '5.0.0', 'hard']]],
  ['lhost-verizon-01', 'nonstandard_bounce', [['0000000000@vzwpix.com', null, 'hard']]],
  ['lhost-x1-01', 'nonstandard_bounce', [['kijitora@example.co.jp', null, 'hard']]],
  ['lhost-x1-03', 'nonstandard_bounce', [['kijitora@example.org', null, 'hard']]],
  ['lhost-x2-01', 'nonstandard_bounce', [['kijitora@example.co.jp', null, 'hard']]],
  ['lhost-x2-03', 'nonstandard_bounce', [['kijitora@example.org', null, 'soft']]],
  ['lhost-x2-07', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.4.14', 'sender_policy']]],
  ['lhost-x3-01', 'nonstandard_bounce', [['kijitora@example.com', '5.3.0', 'hard']]],
  ['lhost-x3-03', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.3.0', 'hard']]],
  ['lhost-x3-05', 'dsn', [['kijitora@example.or.jp', null, 'hard']]],
  ['lhost-x4-01', 'nonstandard_bounce', [['kijitora@example.com', null, 'hard']]],
  ['lhost-x6-01', 'nonstandard_bounce', [['kijitora@nyaan.example.org', '5.4.6', 'sender_policy']]],
  ['lhost-yahoo-01', 'nonstandard_bounce', [['kijitora@example.org', '5.1.1', 'hard']]],
  ['lhost-yahoo-03', 'nonstandard_bounce', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-yahoo-05', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.2.1', 'hard']]],
  ['lhost-yahoo-07', 'nonstandard_bounce', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', null, 'hard']]],
  ['lhost-yahoo-09', 'nonstandard_bounce', [['neko@libsisimai.org', null, 'hard']]],
  ['lhost-yahoo-11', 'nonstandard_bounce', [['kijitora@example.jp', '5.1.8', 'sender_policy']]],
  ['lhost-yahoo-13', 'nonstandard_bounce', [['neko@sijo.example.jp', null, 'hard']]],
  ['lhost-yandex-01', 'dsn', [['kijitora@example.jp', '5.1.1', 'hard']]],
  ['lhost-yandex-03', 'dsn', [['kijitora@6jo.example.jp', '4.4.1', 'soft']]],
  ['lhost-zoho-01', 'nonstandard_bounce', [['kijitora@example.co.jp', '5.1.1', 'hard']]],
  ['lhost-zoho-03', 'nonstandard_bounce', [['shironeko@example.org', null, 'hard']]],
  ['lhost-zoho-05', 'nonstandard_bounce', [['kijitora@7jo.example.jp', null, 'hard']]],
  ['rfc3464-01', 'dsn', [['userunknown@bouncehammer.jp', '5.1.1', 'hard']]],
  ['rfc3464-03', 'dsn', [['kijitora@example.com', '5.0.0', 'sender_policy']]],
  ['rfc3464-07', 'dsn', [['kijitora@example.net', '4.4.0', 'soft']]],
  ['rfc3464-09', 'dsn', [['kijitora-cat@mx4.gr3.example.jp', '4.3.0', 'soft']]],
  ['rfc3464-29', 'dsn', [['kijitora@example.com', '5.5.0', 'soft']]],
  ['rfc3464-37', 'nonstandard_bounce', [['kijitora@neko.nyaan.example.com', null, 'hard']]],
  ['rfc3464-39', 'nonstandard_bounce', [['kijitora@nyaan.example.net', null, 'hard']]],
  ['rfc3464-43', 'dsn', [['jp1rb6cm3@mozmail.com', '4.3.0', 'soft']]],
  ['rfc3464-51', 'dsn', [['kijitora@example.de', '5.1.0', 'hard']]],
  ['rfc3464-53', 'dsn', [['sironeko@example.jp', '4.0.0', 'soft']]],
  ['rfc3464-55', 'dsn', [['sotoneko@nora.nyaan.jp', '4.4.1', 'soft']]],
  ['rfc3464-57', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.0.0', 'hard']]],
  ['rfc3464-59', 'dsn', [['neko@libsisimai.org', '4.0.0', 'soft']]],
  ['rfc3464-61', 'dsn', [['kijitora@example.com', '5.0.0', 'sender_policy']]],
  ['rfc3464-63', 'dsn', [['libsisimai-2@googlegroups.com', '5.1.1', 'hard']]],
  ['rfc3464-65', 'dsn', [['kijitora@example.it', '5.0.0', 'hard']]],
  ['rfc3834-01', 'auto_reply', [['kijitora@example.net', null, 'auto_reply']]],
  ['rfc3834-03', 'auto_reply', [['kijitora@apple.example.com', null, 'auto_reply']]],
  ['rfc3834-05', 'auto_reply', [['foo@bar.net', null, 'auto_reply']]],
  ['rhost-aol-01', 'dsn', [['kijitora@example.jp', '5.4.4', 'hard']]],
  ['rhost-aol-03', 'dsn', [['sabineko@example.jp', '5.2.2', 'soft']]],
  ['rhost-aol-05', 'dsn', [['nyan@haineko.org', '5.4.4', 'hard']]],
  ['rhost-apple-01', 'dsn', [['kijitora@example.jp', '5.1.6', 'hard']]],
  ['rhost-apple-03', 'dsn', [['pseudo-local-part-of-apple-icloud-mail@icloud.com', '5.2.2', 'soft']]],
  ['rhost-apple-05', 'dsn', [['test-of-zhzkndneko@privaterelay.appleid.com', '5.1.1', 'hard']]],
  ['rhost-cloudflare-01', 'dsn', [['kijitora-neko@example.com', '4.3.0', 'soft']]],
  ['rhost-cox-01', 'dsn', [['recipient55@cox.net', '5.1.0', 'sender_policy']]],
  ['rhost-facebook-03', 'dsn', [['kijitora@facebook.com', '5.1.1', 'hard']]],
  ['rhost-franceptt-01', 'dsn', [['pseudo-local-part-kijitora-nyaaan@orange.fr', '5.1.1', 'hard']]],
  ['rhost-franceptt-05', 'dsn', [['xxxx@laposte.net', '5.5.0', 'sender_policy']]],
  ['rhost-franceptt-07', 'dsn', [['xxxx@wanadoo.fr', '4.0.0', 'soft']]],
  ['rhost-franceptt-11', 'dsn', [['xxxx@laposte.net', '4.2.1', 'soft']]],
  ['rhost-google-01', 'dsn', [['shironeko@example.ne.jp', '5.2.1', 'hard']]],
  ['rhost-google-03', 'dsn', [['kijitora@google.example.com', '5.7.26', 'sender_policy']]],
  ['rhost-google-05', 'dsn', [['kijitora@google.example.com', '5.2.2', 'soft']]],
  ['rhost-google-07', 'dsn', [['kijitora-cat@google.example.com', '5.2.1', 'hard']]],
  ['rhost-gsuite-01', 'dsn', [['kijitora@example.de', '5.1.0', 'hard']]],
  ['rhost-gsuite-03', 'dsn', [['neko@libsisimai.org', '4.0.0', 'soft']]],
  ['rhost-gsuite-05', 'dsn', [['sotoneko@haineko.org', '4.0.0', 'soft']]],
  ['rhost-gsuite-07', 'dsn', [['siro@neko1.nyaan.jp', '4.4.1', 'soft']]],
  ['rhost-gsuite-09', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.0.0', 'hard']]],
  ['rhost-gsuite-11', 'dsn', [['kijitora@example.jp', '5.1.8', 'sender_policy']]],
  ['rhost-gsuite-13', 'dsn', [['nekonyaan@gmal.com', '4.0.0', 'soft']]],
  ['rhost-gsuite-15', 'dsn', [['maildebug@example.jpn', '4.0.0', 'soft']]],
  ['rhost-iua-01', 'dsn', [['neko@email.example.ua', '5.0.0', 'hard']]],
  ['rhost-kddi-01', 'dsn', [['otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp', '5.2.0', 'hard']]],
  ['rhost-microsoft-01', 'dsn', [['kijitora@example.com', '5.7.606', 'sender_policy']]],
  ['rhost-microsoft-03', 'dsn', [['kijitora@example.com', '5.1.10', 'hard']]],
  ['rhost-microsoft-05', 'dsn', [['pseudo-local-part-of-microsoft@outlook.com', '4.7.650', 'soft']]],
  ['rhost-mimecast-01', 'dsn', [['sabatora@example.com', '5.0.0', 'sender_policy']]],
  ['rhost-nttdocomo-01', 'dsn', [['azumakuniyuki@ntt.docomo.example.ne.jp', '5.2.0', 'hard']]],
  ['rhost-nttdocomo-03', 'dsn', [['azumakuniyuki@ntt.docomo.example.ne.jp', '5.0.0', 'hard']]],
  ['rhost-outlook-01', 'dsn', [['kijitora@example.jp', '5.2.2', 'soft']]],
  ['rhost-outlook-03', 'dsn', [['kijitora@example.jp', '5.5.0', 'hard']]],
  ['rhost-outlook-07', 'dsn', [['kijitora@example.com', '4.4.7', 'soft']]],
  ['rhost-spectrum-01', 'dsn', [['theusername@charter.net', '5.1.0', 'sender_policy']]],
  ['rhost-tencent-01', 'dsn', [['nekochan@qq.example.cn', '5.0.0', 'sender_policy']]],
  ['rhost-tencent-03', 'dsn', [['neko@qq.example.cn', '5.0.0', 'sender_policy']]],
  ['rhost-yahooinc-01', 'dsn', [['kijitora@aol.example.jp', '5.7.9', 'sender_policy']]],
  ['rhost-yahooinc-03', 'dsn', [['this-local-part-does-not-exist@yahoo.com', '5.0.0', 'hard']]],
  ['rhost-zoho-01', 'dsn', [['kijitora@zoho.example.com', '5.1.1', 'hard']]],
  ['rhost-zoho-03', 'dsn', [['kijitora@zoho.example.com', '5.7.1', 'sender_policy']]],
];

describe('VERP return path', () => {
  it('round-trips and rejects forged, altered and foreign addresses', () => {
    const a = verpAddress('s3cret', 42, 'Bounce.Example.com');
    expect(a).toMatch(/^bounces\+42-[0-9a-f]{16}@bounce\.example\.com$/);
    expect(parseVerp('s3cret', a)).toBe(42);
    expect(parseVerp('s3cret', `<${a.toUpperCase()}>`)).toBe(42);
    expect(parseVerp('other', a)).toBeNull();
    expect(parseVerp('s3cret', a.replace('+42-', '+43-'))).toBeNull();
    expect(parseVerp('s3cret', 'bounces+42-0000000000000000@bounce.example.com')).toBeNull();
    expect(parseVerp('s3cret', 'someone@example.com')).toBeNull();
    expect(() => verpAddress('s3cret', 0, 'x.example')).toThrow();
  });
});

describe('the bounce corpus', () => {
  it('parses every message without an error and gives well-formed results', async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThanOrEqual(333);
    const classes = new Set(['hard', 'soft', 'sender_policy', 'auto_reply', 'complaint', 'unknown']);
    let withRecipients = 0;
    for (const file of files) {
      const report = await classifyFile(file);
      expect(['dsn', 'complaint', 'auto_reply', 'nonstandard_bounce', 'not_a_report'], file).toContain(report.kind);
      if (report.recipients.length > 0) withRecipients++;
      for (const r of report.recipients) {
        expect(r.address, file).toMatch(/@/);
        expect(classes.has(r.class), file).toBe(true);
        if (r.status !== null) expect(r.status, file).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
        expect(r.reason.length, file).toBeGreaterThan(10);
      }
    }
    // Only complaints with redacted recipients and reports that are not failures have none.
    expect(withRecipients).toBeGreaterThanOrEqual(files.length - 5);
  });

  it(`labels ${LABELS.length} messages across kinds`, async () => {
    const kinds = new Set(LABELS.map((l) => l[1]));
    expect(kinds).toEqual(new Set(['dsn', 'complaint', 'auto_reply', 'nonstandard_bounce']));
    for (const [file, kind, recipients] of LABELS) {
      const report = await classifyFile(`${file}.eml`);
      expect({ file, kind: report.kind, recipients: report.recipients.map((r) => [r.address, r.status, r.class]) }).toEqual({ file, kind, recipients });
    }
  });

  it('herald bounces classify prints kind and recipients per file', async () => {
    const out = await classifyFiles([path.join(CORPUS, 'lhost-qmail-01.eml'), path.join(CORPUS, 'arf-17.eml')]);
    expect(out).toMatchObject([
      { kind: 'nonstandard_bounce', recipients: [{ address: 'kijitora@example.ne.jp', status: '5.5.0', class: 'hard' }] },
      { kind: 'complaint', feedback_type: 'abuse', recipients: [{ address: 'kijitora@example.com', class: 'complaint' }] },
    ]);
  });

  it('finds the original Message-ID in the rfc822 part, quoted headers or SES JSON', async () => {
    expect((await classifyFile('lhost-qmail-01.eml')).originalMessageId).toBe('000000000.9999999999999.JavaMail.postmaster@mailhub');
    expect((await classifyFile('arf-17.eml')).originalMessageId).toBe('EEEEEEEE-0000-0000-0000-EEEEEEEE2222@example.net');
    expect((await classifyFile('rfc3834-03.eml')).originalMessageId).toBe('25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org');
  });
});

describe('classification rules', () => {
  const dsn = (status: string, diagnostic: string, action = 'failed') =>
    readFileSync(path.join(FIXTURES, 'dsn-template.eml'), 'utf8')
      .replaceAll('{{VERP}}', 'bounces+1-0000000000000000@b.example')
      .replaceAll('{{RCPT}}', 'kim@receiver.example')
      .replaceAll('{{REPORT_ID}}', 'r1')
      .replaceAll('{{STATUS}}', status)
      .replaceAll('{{ACTION}}', action)
      .replaceAll('{{DIAGNOSTIC}}', diagnostic);
  const one = async (raw: string) => {
    const r = classifyReport(await parseReport(raw));
    expect(r.recipients).toHaveLength(1);
    return r.recipients[0];
  };

  it('RFC 3463: 5.x.x hard, 4.x.x and delayed soft, 5.2.2 soft, 5.7.x sender_policy, content sender_policy', async () => {
    expect(await one(dsn('5.1.1', '550 5.1.1 <kim@receiver.example>: Recipient address rejected: User unknown'))).toMatchObject({ status: '5.1.1', class: 'hard' });
    expect(await one(dsn('5.2.2', '552 5.2.2 Mailbox full'))).toMatchObject({ status: '5.2.2', class: 'soft' });
    expect(await one(dsn('5.0.0', '550 Mailbox over quota'))).toMatchObject({ status: '5.0.0', class: 'soft' });
    expect(await one(dsn('4.4.1', 'connect to in.receiver.example: Connection timed out', 'delayed'))).toMatchObject({ status: '4.4.1', class: 'soft' });
    expect(await one(dsn('4.2.0', '450 4.2.0 try later'))).toMatchObject({ class: 'soft' });
    expect(await one(dsn('5.7.1', '550 5.7.1 Message rejected per DMARC policy'))).toMatchObject({ status: '5.7.1', class: 'sender_policy' });
    expect(await one(dsn('5.0.0', '554 Your IP is listed at Spamhaus'))).toMatchObject({ class: 'sender_policy' });
    expect(await one(dsn('5.3.4', '552 5.3.4 Message too big'))).toMatchObject({ class: 'sender_policy' });
    expect(await one(dsn('5.0.0', '550 5.1.1 The email account that you tried to reach does not exist'))).toMatchObject({ status: '5.1.1', class: 'hard' });
    expect(await one(dsn('5.0.0', '550 rejected'))).toMatchObject({ status: '5.0.0', class: 'hard' });
    expect(await one(dsn('2.0.0', '250 ok', 'delivered'))).toMatchObject({ class: 'unknown' });
  });

  it('reads a plain-text (qmail-style) notice with the enhanced code at the end', async () => {
    const raw = readFileSync(path.join(FIXTURES, 'qmail-template.eml'), 'utf8')
      .replaceAll('{{VERP}}', 'bounces+1-0000000000000000@b.example')
      .replaceAll('{{RCPT}}', 'kim@receiver.example')
      .replaceAll('{{REPORT_ID}}', 'r2')
      .replaceAll('{{DIAGNOSTIC}}', '550 sorry, no mailbox here by that name. (#5.1.1)');
    const report = classifyReport(await parseReport(raw));
    expect(report.kind).toBe('nonstandard_bounce');
    expect(report.recipients.map((r) => [r.address, r.status, r.class])).toEqual([['kim@receiver.example', '5.1.1', 'hard']]);
  });

  it('never throws on garbage', async () => {
    for (const raw of [readFileSync(path.join(FIXTURES, 'garbage.eml')), '', '\u0000\u0001\u0002', 'x'.repeat(100_000), Buffer.from([0xff, 0xfe, 0x00, 0x41])]) {
      const report = classifyReport(await parseReport(raw));
      expect(report.kind).toBeTypeOf('string');
    }
  });
});
