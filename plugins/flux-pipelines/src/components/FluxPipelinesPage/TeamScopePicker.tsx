import ListSubheader from '@material-ui/core/ListSubheader';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useSearchParams } from 'react-router-dom';
import { TeamScopeOption, useTeamScopes } from '../../hooks/useTeamScopes';
import { TeamScope } from './teamScope';

const ALL = 'all';
const keyOf = (o: { param: string; value: string }) => `${o.param}:${o.value}`;

/**
 * Picks the team (owner) or system the page shows, among those of the
 * catalog entities with pipelines; sets `?owner=` or `?system=`.
 */
export const TeamScopePicker = ({ scope }: { scope?: TeamScope }) => {
  const { value: options = [] } = useTeamScopes();
  const [, setParams] = useSearchParams();
  const current = scope
    ? keyOf(
        'owner' in scope
          ? { param: 'owner', value: scope.owner }
          : { param: 'system', value: scope.system },
      )
    : ALL;
  // The scope in the URL stays pickable even if the catalog does not list it.
  const known = options.some(o => keyOf(o) === current);
  const choices: TeamScopeOption[] =
    scope && !known
      ? [
          ...options,
          {
            param: current.startsWith('owner') ? 'owner' : 'system',
            value: current.slice(current.indexOf(':') + 1),
            title: current.slice(current.indexOf(':') + 1),
          },
        ]
      : options;
  const group = (param: TeamScopeOption['param'], title: string) => {
    const items = choices.filter(o => o.param === param);
    if (!items.length) return [];
    return [
      <ListSubheader key={param}>{title}</ListSubheader>,
      ...items.map(o => (
        <MenuItem key={keyOf(o)} value={keyOf(o)}>
          {o.title}
        </MenuItem>
      )),
    ];
  };
  return (
    <TextField
      select
      id="flux-pipelines-team-scope"
      label="Team or system"
      variant="outlined"
      size="small"
      value={current}
      style={{ minWidth: 220 }}
      onChange={e => {
        const picked = choices.find(o => keyOf(o) === e.target.value);
        setParams(picked ? { [picked.param]: picked.value } : {});
      }}
    >
      <MenuItem value={ALL}>All pipelines</MenuItem>
      {group('owner', 'Owners')}
      {group('system', 'Systems')}
    </TextField>
  );
};
