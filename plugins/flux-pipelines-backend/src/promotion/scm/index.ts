export type {
  CreatePullRequestInput,
  PullRequestInfo,
  PullRequestProvider,
  UpdatePullRequestInput,
} from './PullRequestProvider';
export {
  createPullRequestProvider,
  type CreatePullRequestProviderOptions,
} from './createPullRequestProvider';
export {
  GithubPullRequestProvider,
  type GithubPullRequestProviderOptions,
} from './GithubPullRequestProvider';
export {
  GitlabPullRequestProvider,
  type GitlabPullRequestProviderOptions,
} from './GitlabPullRequestProvider';
export {
  BitbucketServerPullRequestProvider,
  type BitbucketServerPullRequestProviderOptions,
} from './BitbucketServerPullRequestProvider';
export {
  hasPromotionMarker,
  parsePromotionMarker,
  promotionMarker,
  type PromotionMarker,
  type PromotionMarkerKey,
} from './promotionMarker';
export { promotionBranch } from './promotionBranch';
