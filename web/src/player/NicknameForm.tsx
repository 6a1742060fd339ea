import { useEffect, useId, useState, type FormEvent } from 'react';
import { asApiError } from '../api/ApiError';
import { NICKNAME_MAX, nicknameProblem } from './nickname';
import { usePlayer } from './PlayerContext';

export function NicknameForm() {
  const { player, saveNickname } = usePlayer();
  const [value, setValue] = useState(player?.nickname ?? '');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const inputId = useId();
  const messageId = useId();

  // The player arrives after the first render; fill the field once it does.
  useEffect(() => {
    if (player?.nickname) setValue((v) => v || player.nickname || '');
  }, [player?.nickname]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const nickname = value.trim();
    const problem = nicknameProblem(nickname);
    if (problem) return setMessage({ kind: 'error', text: problem });
    setSaving(true);
    setMessage(null);
    try {
      await saveNickname(nickname);
      setMessage({ kind: 'ok', text: 'Saved.' });
    } catch (error) {
      setMessage({ kind: 'error', text: asApiError(error).message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="nickname-form" onSubmit={submit} noValidate>
      <label htmlFor={inputId}>Your name on the leaderboard</label>
      <div className="nickname-form__row">
        <input
          id={inputId}
          name="nickname"
          type="text"
          autoComplete="nickname"
          maxLength={NICKNAME_MAX}
          placeholder="anonymous"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby={messageId}
          aria-invalid={message?.kind === 'error' ? true : undefined}
          data-testid="nickname-input"
        />
        <button type="submit" className="button button--secondary" disabled={saving} data-testid="nickname-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p id={messageId} className={`nickname-form__message nickname-form__message--${message?.kind ?? 'hint'}`} aria-live="polite">
        {message?.text ?? 'Optional. 1–24 letters, digits, spaces, _ - .'}
      </p>
    </form>
  );
}
