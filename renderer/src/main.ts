import { mount } from 'svelte';
import App from './App.svelte';
import { createApiClient } from './lib/api.js';
import { appContext } from './lib/app-state.svelte.js';
import './styles/theme.css';
import './styles/app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
mount(App, { target, context: appContext(createApiClient()) });
