/** Redis channel on which gateways name the inference jobs whose clients went away. */
export const CANCEL_CHANNEL = 'inference:cancel';
