/**
 * The programmes module's facade (CRED-1): certificates, diplomas and professional titles, their
 * rules of units and credits, checked against the catalogue, and the learner's progress toward
 * them from the units certification records as earned. Above certification (MODULE_ORDER).
 */
import './programmes.messages'; // registers the module's messages
import './diplomas.messages';

export { checkProgramme, programmeProgress, type Progress, type ProgrammeRule } from './programmes.rules';
export { followProgramme, learnerProgrammes, listProgrammes, programmeCount, saveProgramme, type Programme } from './programmes.service';
export { programmesRoutes } from './programmes.routes';
export { programmesDataSet } from './programmes.personal';
export { programmeKinds, type ProgrammeKind } from './programmes.table';
// CRED-4: diplomas and duplicates.
export { decideDiplomaRequest, diplomaPage, requestDiploma, requestDuplicate, type DiplomaRequest } from './diplomas.service';
import { addDocumentSubjects } from '../documents';
import { diplomaSubjectsOf } from './diplomas.service';
addDocumentSubjects(diplomaSubjectsOf);
