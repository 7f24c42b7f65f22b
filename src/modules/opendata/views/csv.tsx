import type { VNode } from 'preact';
import type { Translator } from '../../../platform/i18n';
import { Table } from '../../../ui/components';
import type { PageContext } from '../../../ui/context';
import { Layout } from '../../../ui/Layout';
import { columnsOf, LICENCE, meaningKey, openDataFiles, SNAPSHOT_DAYS_KEPT, type Column, type OpenDataFile } from '../csv.rules';
import type { SnapshotInfo } from '../snapshots.service';

const kilobytes = (t: Translator, bytes: number) => t('opendata.csv.kb', { size: new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(bytes / 1024) });
/** A message with a link in it: the placeholder is given `MARK`, and the link goes where it is. */
const MARK = '\u0000';
function around(text: string, link: VNode) {
  const [before, after] = text.split(MARK);
  return (
    <>
      {before}
      {link}
      {after}
    </>
  );
}
const fileName = (t: Translator, file: OpenDataFile) => t(`opendata.csv.file.${file}`);

function FileLink(props: { t: Translator; snapshot: SnapshotInfo; dated: boolean }) {
  const { t, snapshot: s } = props;
  const href = props.dated ? `/donnees-ouvertes/${s.day}/${s.file}.csv` : `/donnees-ouvertes/${s.file}.csv`;
  return (
    <a href={href} download>
      {props.dated ? t('opendata.csv.fileOfDay', { file: fileName(t, s.file), date: t.date(s.day) }) : fileName(t, s.file)} <span class="visually-hidden">(CSV)</span>
    </a>
  );
}

function Dictionary(props: { t: Translator; file: OpenDataFile; baseUrl: string }) {
  const { t, file } = props;
  return (
    <Table
      id={`dictionnaire-${file}`}
      caption={t('opendata.csv.dictionaryOf', { file: `${file}.csv` })}
      rows={columnsOf(file, props.baseUrl)}
      columns={[
        { label: t('opendata.csv.dict.name'), rowHeader: true, cell: (c: Column<never>) => <code>{c.name}</code> },
        { label: t('opendata.csv.dict.type'), cell: (c: Column<never>) => t(`opendata.csv.type.${c.type}`) },
        { label: t('opendata.csv.dict.unit'), cell: (c: Column<never>) => (c.unit ? t(`opendata.csv.unit.${c.unit}`) : '') },
        {
          label: t('opendata.csv.dict.meaning'),
          cell: (c: Column<never>) => (
            <>
              {t(meaningKey(file, c.name))}
              {c.values ? ` ${t('opendata.csv.dict.values', { values: c.values.join(', ') })}` : ''}
            </>
          ),
        },
        { label: t('opendata.csv.dict.example'), cell: (c: Column<never>) => (c.example ? <code>{c.example}</code> : '') },
      ]}
    />
  );
}

/** SVC-8: the open-data page, `/donnees-ouvertes`: the files of the day, those of the days before, the live files, the licence and the dictionary. */
export function OpenDataPage(props: { ctx: PageContext; snapshots: SnapshotInfo[]; baseUrl: string }) {
  const { ctx, snapshots } = props;
  const t = ctx.t;
  const latest = openDataFiles.map((file) => snapshots.find((s) => s.file === file)).filter((s): s is SnapshotInfo => s !== undefined);
  const columns = (dated: boolean) => [
    { label: t('opendata.csv.th.file'), rowHeader: true, cell: (s: SnapshotInfo) => <FileLink t={t} snapshot={s} dated={dated} /> },
    { label: t('opendata.csv.th.day'), cell: (s: SnapshotInfo) => <time datetime={s.createdAt.toISOString()}>{t.date(s.createdAt, 'datetime')}</time> },
    { label: t('opendata.csv.th.rows'), cell: (s: SnapshotInfo) => String(s.rows) },
    { label: t('opendata.csv.th.size'), cell: (s: SnapshotInfo) => kilobytes(t, s.size) },
  ];
  return (
    <Layout ctx={ctx} title={t('opendata.csv.title')}>
      <h1>{t('opendata.csv.title')}</h1>
      <p>{t('opendata.csv.intro')}</p>
      <p>
        {around(t('opendata.csv.licence', { licence: MARK }),
          <a href={LICENCE.path} lang="fr">
            {t('opendata.csv.licenceName')}
          </a>,
        )}
      </p>
      <p>{t('opendata.csv.format')}</p>

      <h2>{t('opendata.csv.latest')}</h2>
      <p>{t('opendata.csv.latestIntro')}</p>
      {latest.length ? <Table id="fichiers-du-jour" caption={t('opendata.csv.latest')} captionHidden rows={latest} columns={columns(false)} /> : <p>{t('opendata.csv.none')}</p>}

      <h2>{t('opendata.csv.history')}</h2>
      <p>{t('opendata.csv.historyIntro', { days: SNAPSHOT_DAYS_KEPT })}</p>
      {snapshots.length ? <Table id="fichiers-dates" caption={t('opendata.csv.history')} captionHidden rows={snapshots} columns={columns(true)} /> : <p>{t('opendata.csv.none')}</p>}

      <h2>{t('opendata.csv.live')}</h2>
      <p>{t('opendata.csv.liveIntro')}</p>
      <ul>
        <li>
          <a href="/donnees-ouvertes/catalogue/sessions.csv" download>
            {t('opendata.csv.liveSessions')}
          </a>
        </li>
        <li>
          <a href="/donnees-ouvertes/catalogue/sessions.csv?separateur=;" download>
            {t('opendata.csv.liveSessionsSemicolon')}
          </a>
        </li>
        <li>
          <a href="/donnees-ouvertes/catalogue/sessions.csv?ouvertes=1" download>
            {t('opendata.csv.liveOpen')}
          </a>
        </li>
        <li>
          <a href="/donnees-ouvertes/catalogue/formations.csv" download>
            {t('opendata.csv.liveFormations')}
          </a>
        </li>
      </ul>

      <h2>{t('opendata.csv.api')}</h2>
      <p>{t('opendata.csv.apiIntro')}</p>
      <ul>
        <li>
          <a href="/api/v1/docs">{t('opendata.csv.apiDocs')}</a>
        </li>
        <li>
          <a href="/api/v1/openapi.json">{t('opendata.csv.apiDocument')}</a>
        </li>
      </ul>

      <h2>{t('opendata.csv.dictionary')}</h2>
      <p>
        {around(t('opendata.csv.dictionaryIntro', { link: MARK }), <a href="/donnees-ouvertes/datapackage.json">datapackage.json</a>)}
      </p>
      {openDataFiles.map((file) => (
        <Dictionary t={t} file={file} baseUrl={props.baseUrl} />
      ))}
    </Layout>
  );
}
