import { createContext } from '@lit/context';
import type { ApiClient } from '../api/api-client.ts';

/** The one service the panel provides to its children: how to talk to the BFF. */
export const apiContext = createContext<ApiClient>(Symbol('connections-panel/api'));
