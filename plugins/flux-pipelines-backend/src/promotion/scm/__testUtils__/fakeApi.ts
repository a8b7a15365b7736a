/**
 * The request checks the fake GitHub, GitLab and Bitbucket Server APIs share. They live in
 * `@internal/cluster-sim`, whose GitHub stand-in (served next to the demo
 * clusters, over the local fleet repository) checks requests the same way.
 */
export {
  ApiViolation,
  anyText,
  checkBody,
  checkJsonContentType,
  checkQuery,
  oneOf,
  pageNumber,
  pageSize,
  paginate,
} from '@internal/cluster-sim';
export type {
  FieldType,
  ScmReply as FakeReply,
  ScmRequest as FakeRequest,
} from '@internal/cluster-sim';
