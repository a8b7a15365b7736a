import { PullRequestInfo } from './PullRequestProvider';

/** The fields of a Bitbucket Server pull request the provider reads. */
export interface BitbucketPullRequest {
  id: number;
  version: number;
  state: string;
  title: string;
  description?: string;
  fromRef: { id: string };
  toRef: { id: string };
  reviewers?: Array<{ user: { name: string } }>;
  links?: { self?: Array<{ href: string }> };
}

/** The prefix of a branch's full ref name. */
export const HEADS = 'refs/heads/';

/** What the promotion needs to know of a Bitbucket Server pull request. */
export function toPullRequestInfo(pull: BitbucketPullRequest): PullRequestInfo {
  let state: PullRequestInfo['state'] = 'open';
  if (pull.state === 'MERGED') {
    state = 'merged';
  } else if (pull.state === 'DECLINED') {
    state = 'closed';
  }
  return {
    url: pull.links?.self?.[0]?.href ?? '',
    number: pull.id,
    state,
    headBranch: branchName(pull.fromRef.id),
    baseBranch: branchName(pull.toRef.id),
    title: pull.title,
    body: pull.description ?? '',
  };
}

function branchName(ref: string): string {
  return ref.startsWith(HEADS) ? ref.slice(HEADS.length) : ref;
}
