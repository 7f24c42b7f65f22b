import type { ComponentChildren } from 'preact';
import { contactSubjects, type ContactSubject } from '../../../domain/vocabulary';
import type { MessageKey, Translator } from '../../../platform/i18n';
import { Checkbox, Csrf, ErrorSummary, FileField, Radios, Select, SubmitButton, Table, TextArea } from '../../../ui/components';
import { emptyForm, type FormState, type PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { CONTACT_TEXT_MAX, queueFilters, routeExplanation, subjectTakesFile, type ContactRoute, type QueueFilter } from '../contact.rules';
import { CONTACT_FILE_FIELD } from '../contact.schema';
import type { AboutOption, ContactMessage, Conversation, FileInfo, QueueRow } from '../contact.service';
import type { SessionForApplication } from '../../catalogue';

const k = (key: string) => key as MessageKey;
const typeNames = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' } as const;
const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

function fileSize(t: Translator, bytes: number): string {
  const mega = bytes >= 1024 * 1024;
  return new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'unit', unit: mega ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    mega ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024)),
  );
}

const subjectText = (t: Translator, subject: string) => t(k(`contact.subject.${subject}`));
const statusText = (t: Translator, status: string) => t(k(`contact.status.${status}`));
const sessionText = (t: Translator, s: SessionForApplication | null) => (s ? t('contact.about.session', { title: s.title, code: s.code, school: s.schoolName }) : t('contact.about.none'));

/** SVC-1: the phone line (seed 001, "Qui peut m'aider ?"), on the contact page of everyone. */
function PhoneLine(props: { t: Translator }) {
  return (
    <section aria-labelledby="phone-title">
      <h2 id="phone-title">{props.t('contact.phone.title')}</h2>
      <p>{props.t('contact.phone.text')}</p>
    </section>
  );
}

/** The hidden token of the form shown: the same form sent twice is one message. */
function FormToken(props: { value: string }) {
  return <input type="hidden" name="formToken" value={props.value} />;
}

/** SVC-1: a visitor sees the phone line and is asked to sign in; staff are sent to their queue. */
export function ContactInfoPage(props: { ctx: PageContext }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('contact.title')}>
      <h1>{t('contact.title')}</h1>
      <PhoneLine t={t} />
      {ctx.user ? (
        <p>
          {t('contact.staffNote')} <a href="/personnel/messages">{t('contact.staff.title')}</a>
        </p>
      ) : (
        <section aria-labelledby="write-title">
          <h2 id="write-title">{t('contact.write.title')}</h2>
          <p>{t('contact.visitor.text')}</p>
          <p class="actions">
            <a class="button" href="/connexion?retour=%2Fcontact">
              {t('contact.visitor.login')}
            </a>
            <a class="button button-secondary" href="/inscription">
              {t('contact.visitor.signup')}
            </a>
          </p>
        </section>
      )}
    </Layout>
  );
}

/** SVC-1, CERT-5: the learner's form: subject, what it is about, the text, a proof where the subject needs one. */
export function ContactFormPage(props: { ctx: PageContext; options: AboutOption[]; formToken: string; maxMegabytes: number; form?: FormState }) {
  const { ctx } = props;
  const t = ctx.t;
  const form = props.form ?? emptyForm();
  const labels = { subject: t('contact.form.subject'), about: t('contact.form.about'), text: t('contact.form.text'), [CONTACT_FILE_FIELD]: t('contact.form.file'), formToken: t('contact.form.title') };
  const hasErrors = Object.values(form.errors).some(Boolean);
  return (
    <Layout ctx={ctx} title={t('contact.title')}>
      <p>
        <a href="/compte/messages">{t('contact.list.title')}</a>
      </p>
      <h1>{t('contact.title')}</h1>
      <p>{t('contact.form.intro')}</p>
      <ErrorSummary t={t} form={form} labels={labels} />
      <form method="post" action="/contact" enctype="multipart/form-data" novalidate>
        <Csrf ctx={ctx} />
        <FormToken value={props.formToken} />
        <Radios
          t={t}
          form={form}
          name="subject"
          legend={labels.subject}
          hint={t('contact.form.subjectHint')}
          options={contactSubjects.map((value) => ({ value, label: subjectText(t, value) }))}
          required
        />
        <Select
          t={t}
          form={form}
          name="about"
          label={labels.about}
          hint={t('contact.form.aboutHint')}
          placeholder={t('contact.about.none')}
          options={props.options.map((o) => ({ value: o.applicationId, label: t('contact.about.session', { title: o.title, code: o.code, school: o.schoolName }) }))}
        />
        <TextArea t={t} form={form} name="text" label={labels.text} hint={t('contact.form.textHint', { max: CONTACT_TEXT_MAX })} maxLength={CONTACT_TEXT_MAX} rows={8} required />
        <FileField
          t={t}
          form={form}
          name={CONTACT_FILE_FIELD}
          label={labels[CONTACT_FILE_FIELD]}
          hint={`${t('contact.form.fileHint', { max: props.maxMegabytes })}${hasErrors ? ` ${t('upload.chooseAgain')}` : ''}`}
          accept={ACCEPT}
        />
        <SubmitButton>{t('contact.form.submit')}</SubmitButton>
      </form>
      <PhoneLine t={t} />
    </Layout>
  );
}

/** SVC-1: the learner's messages: reference, subject, what about, when, status. */
export function MessagesPage(props: { ctx: PageContext; rows: { message: ContactMessage; session: SessionForApplication | null }[] }) {
  const { ctx, rows } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('contact.list.title')}>
      <p>
        <a href="/compte">{t('contact.back.account')}</a>
      </p>
      <h1>{t('contact.list.title')}</h1>
      <p>
        <a class="button" href="/contact">
          {t('contact.list.new')}
        </a>
      </p>
      {rows.length === 0 ? (
        <p>{t('contact.list.none')}</p>
      ) : (
        <Table
          id="messages"
          caption={t('contact.list.title')}
          captionHidden
          rows={rows}
          columns={[
            { label: t('contact.col.reference'), rowHeader: true, cell: (r) => <a href={`/compte/messages/${r.message.id}`}>{r.message.reference}</a> },
            { label: t('contact.col.subject'), cell: (r) => subjectText(t, r.message.subject) },
            { label: t('contact.col.about'), cell: (r) => sessionText(t, r.session) },
            { label: t('contact.col.sent'), cell: (r) => t.date(r.message.createdAt, 'datetime') },
            { label: t('contact.col.status'), cell: (r) => statusText(t, r.message.status) },
          ]}
        />
      )}
    </Layout>
  );
}

function FileLink(props: { t: Translator; href: string; file: FileInfo }) {
  const { t, file } = props;
  return <a href={props.href}>{t('contact.thread.file', { name: file.originalName, type: typeNames[file.mediaType], size: fileSize(t, file.size) })}</a>;
}

/** The conversation: its facts, then each entry with its author, time, text and attachment. */
function Thread(props: { ctx: PageContext; conversation: Conversation; forStaff: boolean }) {
  const { ctx, conversation } = props;
  const t = ctx.t;
  const m = conversation.message;
  const base = props.forStaff ? `/personnel/messages/${m.id}` : `/compte/messages/${m.id}`;
  return (
    <>
      <dl class="summary">
        {props.forStaff ? (
          <>
            <dt>{t('contact.thread.learner')}</dt>
            <dd>{conversation.learnerName}</dd>
          </>
        ) : null}
        <dt>{t('contact.col.subject')}</dt>
        <dd>{subjectText(t, m.subject)}</dd>
        <dt>{t('contact.col.about')}</dt>
        <dd>{sessionText(t, conversation.session)}</dd>
        <dt>{t('contact.col.status')}</dt>
        <dd>{statusText(t, m.status)}</dd>
        <dt>{t('contact.thread.who')}</dt>
        <dd>{t(routeExplanation(m.subject, m.route as ContactRoute))}</dd>
      </dl>
      <h2>{t('contact.thread.entries')}</h2>
      <ol class="thread">
        {conversation.entries.map((e) => {
          const file = e.fileId ? conversation.files.get(e.fileId) : undefined;
          const who = e.fromStaff ? t('contact.thread.fromStaff') : props.forStaff ? conversation.learnerName : t('contact.thread.fromYou');
          return (
            <li key={e.id}>
              <p>
                <strong>{t('contact.thread.by', { who, date: t.date(e.createdAt, 'datetime') })}</strong>
              </p>
              <p class="prewrap">{e.body}</p>
              {file ? (
                <p>
                  <FileLink t={t} href={`${base}/pieces/${e.id}`} file={file} />
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}

/**
 * SVC-1: a conversation as the learner and staff both see it: the notice, the thread, then what
 * a closed one says or the form that adds an entry (its fields given as children).
 */
function ConversationBody(props: {
  ctx: PageContext;
  conversation: Conversation;
  forStaff: boolean;
  notice?: MessageKey;
  closed: ComponentChildren;
  form: FormState;
  labels: Record<string, string> & { formToken: string };
  action: string;
  multipart?: boolean;
  formToken: string;
  submit: string;
  children: ComponentChildren;
}) {
  const { ctx, form, labels } = props;
  const t = ctx.t;
  return (
    <>
      {props.notice ? (
        <div class="notice notice-warning" role="alert">
          {t(props.notice)}
        </div>
      ) : null}
      <Thread ctx={ctx} conversation={props.conversation} forStaff={props.forStaff} />
      {props.conversation.message.status === 'closed' ? (
        props.closed
      ) : (
        <section aria-labelledby="entry-title">
          <h2 id="entry-title">{labels.formToken}</h2>
          <ErrorSummary t={t} form={form} labels={labels} />
          <form method="post" action={props.action} enctype={props.multipart ? 'multipart/form-data' : undefined} novalidate>
            <Csrf ctx={ctx} />
            <FormToken value={props.formToken} />
            {props.children}
            <SubmitButton>{props.submit}</SubmitButton>
          </form>
        </section>
      )}
    </>
  );
}

/** SVC-1: one of the learner's messages, the answers, and the reply form while it is not closed. */
export function ConversationPage(props: { ctx: PageContext; conversation: Conversation; formToken: string; maxMegabytes: number; form?: FormState; notice?: MessageKey; flash?: string }) {
  const { ctx, conversation } = props;
  const t = ctx.t;
  const m = conversation.message;
  const form = props.form ?? emptyForm();
  const takesFile = subjectTakesFile(m.subject as ContactSubject);
  const labels = { text: t('contact.reply.text'), [CONTACT_FILE_FIELD]: t('contact.form.file'), formToken: t('contact.reply.title') };
  const title = t('contact.thread.title', { reference: m.reference });
  return (
    <Layout ctx={ctx} title={title} flash={props.flash}>
      <p>
        <a href="/compte/messages">{t('contact.list.title')}</a>
      </p>
      <h1>{title}</h1>
      <ConversationBody
        ctx={ctx}
        conversation={conversation}
        forStaff={false}
        notice={props.notice}
        closed={
          <p>
            {t('contact.thread.closed')} <a href="/contact">{t('contact.list.new')}</a>
          </p>
        }
        form={form}
        labels={labels}
        action={`/compte/messages/${m.id}`}
        multipart
        formToken={props.formToken}
        submit={t('contact.reply.submit')}
      >
        <TextArea t={t} form={form} name="text" label={labels.text} hint={t('contact.form.textHint', { max: CONTACT_TEXT_MAX })} maxLength={CONTACT_TEXT_MAX} rows={5} required />
        {takesFile ? <FileField t={t} form={form} name={CONTACT_FILE_FIELD} label={labels[CONTACT_FILE_FIELD]} hint={t('contact.form.fileHint', { max: props.maxMegabytes })} accept={ACCEPT} /> : null}
      </ConversationBody>
    </Layout>
  );
}

/** SVC-1: the staff's queue in their scope, filtered by status. */
export function QueuePage(props: { ctx: PageContext; rows: QueueRow[]; filter: QueueFilter; flash?: string }) {
  const { ctx, rows, filter } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t('contact.staff.title')} flash={props.flash}>
      <p>
        <a href="/personnel">{t('contact.back.staff')}</a>
      </p>
      <h1>{t('contact.staff.title')}</h1>
      <p>{t('contact.staff.intro')}</p>
      <nav aria-label={t('contact.staff.filters')}>
        <ul class="links">
          {queueFilters.map((f) => (
            <li>
              <a href={`/personnel/messages?statut=${f}`} aria-current={f === filter ? 'page' : undefined}>
                {t(k(`contact.filter.${f}`))}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>{t.plural('contact.staff.count', rows.length, { filter: t(k(`contact.filter.${filter}`)) })}</h2>
      {rows.length ? (
        <Table
          id="queue"
          caption={t('contact.staff.title')}
          captionHidden
          rows={rows}
          columns={[
            { label: t('contact.col.reference'), rowHeader: true, cell: (r) => <a href={`/personnel/messages/${r.message.id}`}>{r.message.reference}</a> },
            { label: t('contact.col.subject'), cell: (r) => subjectText(t, r.message.subject) },
            { label: t('contact.thread.learner'), cell: (r) => r.learnerName },
            { label: t('contact.col.about'), cell: (r) => sessionText(t, r.session) },
            { label: t('contact.col.updated'), cell: (r) => t.date(r.message.updatedAt, 'datetime') },
            { label: t('contact.col.status'), cell: (r) => statusText(t, r.message.status) },
          ]}
        />
      ) : null}
    </Layout>
  );
}

/** SVC-1: a conversation for staff, with the answer form while it is not closed. */
export function StaffConversationPage(props: { ctx: PageContext; conversation: Conversation; formToken: string; form?: FormState; notice?: MessageKey }) {
  const { ctx, conversation } = props;
  const t = ctx.t;
  const m = conversation.message;
  const form = props.form ?? emptyForm();
  const labels = { text: t('contact.answer.text'), close: t('contact.answer.close'), formToken: t('contact.answer.title') };
  const title = t('contact.thread.title', { reference: m.reference });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/personnel/messages">{t('contact.staff.title')}</a>
      </p>
      <h1>{title}</h1>
      <ConversationBody
        ctx={ctx}
        conversation={conversation}
        forStaff
        notice={props.notice}
        closed={<p>{t('contact.thread.closedStaff')}</p>}
        form={form}
        labels={labels}
        action={`/personnel/messages/${m.id}`}
        formToken={props.formToken}
        submit={t('contact.answer.submit')}
      >
        <TextArea t={t} form={form} name="text" label={labels.text} hint={t('contact.answer.textHint')} maxLength={CONTACT_TEXT_MAX} rows={6} required />
        <Checkbox t={t} form={form} name="close" label={labels.close} hint={t('contact.answer.closeHint')} />
      </ConversationBody>
    </Layout>
  );
}
