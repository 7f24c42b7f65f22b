/**
 * The documents module's facade (PAY-10): every document the service issues — convocation,
 * enrollee card, attestations, receipts, certificates — is issued here, so that anyone can
 * verify it on the public page `/verifier/CODE`. It sits below the modules that issue documents
 * (applications, selection, payments…) and knows none of them: they name what a document is
 * about (`subjectId`) and which session's staff may see more (`scopeSessionId`).
 * Its tables (documents, signing keys) are its own.
 */
import './documents.messages'; // registers the module's messages

export { documentKinds, documentStatuses, type DocumentKind, type DocumentStatus } from '../../domain/vocabulary';
export { formatCode } from './documents.rules';
export { documentRoutes } from './documents.routes';
export {
  currentDocument,
  currentDocuments,
  documentCodes,
  documentDetails,
  issueDocument,
  lockDocumentSubject,
  revokeDocuments,
  type DocumentInput,
  type DocumentSigning,
  type IssuedDocument,
} from './documents.service';
export { publicKeySet, rotateSigningKey } from './keys.service';
export { addDocumentSubjects, documentsDataSet, type DocumentSubjects } from './documents.personal';
